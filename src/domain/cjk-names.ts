/**
 * Chinese, Japanese and Korean folder names read in the dialect the rest of
 * path analysis speaks: full-width punctuation as ASCII ("（上）" -> "(上)",
 * "三体2：黑暗森林" -> "三体2: 黑暗森林"), title marks ("《三体》") as a piece
 * of their own, and volume markers ("第一卷", "第1巻", "上巻", "（下）",
 * "三体Ⅱ") as "Vol N", the position every other rule already understands.
 */
import { lazyRegExp } from "./lazy-regexp.js";
import { cjkNameScore } from "./cjk-person-names.js";

/** Full-width forms, ideographic punctuation, roman-numeral characters: nothing to do for other names. */
const FOLD_HINT = /[\u3000-\u303f\uff01-\uff5e\u2160-\u217b\u2014]/u;
const FULL_WIDTH = /[\uff01-\uff5e]/gu;
const ROMAN_CHARS = /[\u2160-\u216b\u2170-\u217b]/gu;
const ROMAN_NAMES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
/** 《书名》, 「題名」, 『題名』: marks around a title, which stands apart from what is around it. */
const TITLE_MARKS = /[《「『]([^《》「」『』]*)[》」』]/gu;
const STRAY_TITLE_MARKS = /[《》「」『』]/gu;
/** "容疑者Xの献身 ～ガリレオシリーズ～": wave dashes around a subtitle or a series are brackets. */
const WAVE_PAIR = /[～〜]([^～〜]+)[～〜]/gu;
/** "三体——黑暗森林": a doubled dash, written without spaces, parts a title from its subtitle. */
const DOUBLE_DASH = /\s*[—―]{2,}\s*/gu;
const PUNCTUATION: Readonly<Record<string, string>> = {
  "\u3000": " ", "【": "[", "】": "]", "〖": "[", "〗": "]", "〔": "(", "〕": ")", "〘": "(", "〙": ")",
  "〈": "(", "〉": ")", "〜": "~", "：": ": ", "，": ", ", "；": "; ", "（": " (", "）": ") ",
};
const PUNCTUATION_CHARS = lazyRegExp(() => new RegExp(`[${Object.keys(PUNCTUATION).join("")}]`, "gu"));

/**
 * Full-width and ideographic punctuation as ASCII, and the credits around a
 * writer's name dropped ("[日]村上春树 著 林少华 译" -> "村上春树"); any other
 * text is returned unchanged.
 */
export function foldCjkName(s: string): string {
  const folded = FOLD_HINT.test(s) ? foldPunctuation(s) : s;
  return CREDIT_HINT().test(folded) ? stripCredits(folded) : folded;
}

const CREDIT_HINT = lazyRegExp(() => /[著译譯訳]|[[(]\s*\p{Script=Han}{1,4}\s*[)\]]/u);
/** "[日]", "(美)", "〔英〕": the writer's country, set before a translated writer's name in Chinese editions. */
const COUNTRY = lazyRegExp(() => new RegExp(
  String.raw`[[(]\s*(?:日|美|英|法|德|俄|意|韩|韓|朝|加|澳|西|葡|瑞典|挪威|丹麦|丹麥|芬|荷|奥|奧|捷|波|匈|印|以|希|土|埃|爱尔兰|愛爾蘭|日本|美国|美國|英国|英國|法国|法國|德国|德國|俄国|俄國|意大利|西班牙|巴西|墨西哥|智利|阿根廷|哥伦比亚|哥倫比亞|瑞士|比利时|比利時|新西兰|加拿大|澳大利亚|以色列|印度|土耳其)\s*[)\]]\s*(?=[\p{Script=Han}\p{Script=Katakana}·・])`,
  "gu",
));
/** "林少华 译", "村上春樹訳": a translator, whose name is no part of the book's. */
const TRANSLATOR = lazyRegExp(() => /\s*[\p{Script=Han}\p{Script=Katakana}·・ー]{2,10}\s*(?:译|譯|訳)(?=$|[\s)\]])/gu);
/** "金庸 著", "村上春树著", "余华 编著": the writer, marked as such. */
const WRITER = lazyRegExp(() => /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}·・ー]{1,10})(\s*)(?:編著|编著|著)(?=$|[\s)\]])/gu);

function stripCredits(s: string): string {
  return s
    .replace(COUNTRY(), "")
    .replace(TRANSLATOR(), " ")
    // Glued to the name only when the name reads as a person's: "名著" (a classic) is no credit.
    .replace(WRITER(), (whole: string, name: string, space: string) => (space.length > 0 || cjkNameScore(name) >= 2 ? name : whole))
    .replace(/\s{2,}/gu, " ")
    .trim();
}

function foldPunctuation(s: string): string {
  return s
    .replace(TITLE_MARKS, " - $1 - ")
    .replace(WAVE_PAIR, " ($1) ")
    .replace(STRAY_TITLE_MARKS, " ")
    .replace(DOUBLE_DASH, " - ")
    .replace(PUNCTUATION_CHARS(), (c) => PUNCTUATION[c])
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(ROMAN_CHARS, (c) => {
      const code = c.charCodeAt(0);
      return code >= 0x2170 ? ROMAN_NAMES[code - 0x2170].toLowerCase() : ROMAN_NAMES[code - 0x2160];
    });
}

const DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 零: 0, 一: 1, 壱: 1, 壹: 1, 二: 2, 弐: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 参: 3, 叁: 3, 參: 3,
  四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const TENS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100 };

/** "十二" -> 12, "二十一" -> 21, "一百零三" -> 103, "一〇三" -> 103; null when the text is no such number. */
export function cjkNumber(text: string): number | null {
  if (text.length === 0) return null;
  let total = 0;
  let digit: number | null = null;
  let positional = "";
  for (const c of text) {
    const d = DIGITS[c];
    if (d !== undefined) {
      digit = d;
      positional += String(d);
      continue;
    }
    const unit = TENS[c];
    if (unit === undefined) return null;
    // "十二": a unit with no digit before it counts once.
    total += (digit ?? 1) * unit;
    digit = null;
    positional = "";
  }
  // "一〇三" is read digit by digit; "一百零三" by its units.
  if (total === 0 && positional.length > 1) return Number(positional);
  return total + (digit ?? 0);
}

const ROMAN_VALUE: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10 };

function romanNumber(text: string): number | null {
  let total = 0;
  const s = text.toLowerCase();
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN_VALUE[s[i]];
    if (v === undefined) return null;
    const next = ROMAN_VALUE[s[i + 1]] ?? 0;
    total += next > v ? -v : v;
  }
  return total > 0 ? total : null;
}

function volumeNumber(token: string): number | null {
  if (/^\d+$/u.test(token)) return Number(token);
  return /^[ivx]+$/iu.test(token) ? romanNumber(token) : cjkNumber(token);
}

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー`;
const CJK_CHAR = lazyRegExp(() => new RegExp(`[${CJK}]`, "u"));
const NUM = String.raw`\d{1,3}|[〇零一壱壹二弐贰貳两兩三参叁參四肆五伍六陆陸七柒八捌九玖十拾百佰]{1,5}|[IVX]{1,5}|[ivx]{1,5}`;
/** The words that follow a volume number: 巻/卷 volume, 冊/册 book, 部 part, 編/篇 part. */
const UNIT = "巻|卷|冊|册|部|編|编|篇|권";
/**
 * "第一卷", "第1巻", "第I部", "第 3 册", "제1권": an ordinal volume. "第01集" (an episode of a serial reading, or a
 * collection) and "第一季" (a season of a serial) are the same: a numbered piece of the work it follows, kept apart
 * by its number as a volume is, never part of the title. Only after 第: "文集", "全集" alone are collections, no
 * piece. 話 (a chapter) stays out.
 */
const ORDINAL = lazyRegExp(() => new RegExp(String.raw`(?:第\s*(${NUM})\s*(?:${UNIT}|集|季)|제\s*(${NUM})\s*(?:${UNIT}))`, "gu"));
/** "1巻", "12卷", "3권" and "巻1", "卷一": a volume counted in digits, or after the volume word. */
const COUNTED = lazyRegExp(() => new RegExp(String.raw`(?<![\p{N}\p{L}])(\d{1,3})\s*(?:巻|卷|冊|册|권)|(?:巻|卷)\s*(${NUM})(?![\p{N}\p{L}])`, "gu"));
/** "上巻", "下卷", "中册", "前編", "後篇", "상권": the first, middle or last of a work in two or three volumes. */
// Glued to the name only with a volume word ("罪と罰上巻"): "中篇" alone is a novella, "中部" a region.
const HALF_UNIT = lazyRegExp(() => /([上中下])\s*(?:巻|卷|冊|册)|(?<!\p{L})([上中下])\s*(?:篇|編|编)|([前後后])\s*(?:編|编|篇)|(?<!\p{L})([상중하])\s*권/gu);
/** "ノルウェイの森 上", "射雕英雄传(上)": 上, 中 or 下 alone, set apart by a space or brackets. */
const HALF_ALONE = lazyRegExp(() => /(?<=^|[\s([])([上中下])(?=$|[\s)\]])/gu);
/** "三体2", "三体II", "ソードアート・オンライン 2": a small number closing a name in ideographs is its volume. */
const GLUED_NUMBER = lazyRegExp(() => new RegExp(String.raw`(?<=[${CJK}]\s?)(\d{1,2}|[IVX]{1,4})(?=$|[\s:)\]])`, "gu"));
const VOLUME_HINT = /[第巻卷冊册上中下前後后編编篇部제권상하\d]|[IVX]/u;
const TEXT_AFTER = /^\s*[^\s)\]:,;\-–—]/u;
const VOL_CLOSE = /(Vol \d+)\s*:\s*/gu;
const VOL_COLON = /Vol \d+\s*:/u;

/** Where the half-volume words stand: 上 first; 中 and 下 second, 下 as well when there is no 中 (most works come in two). */
const HALVES: Readonly<Record<string, number>> = { 上: 1, 前: 1, 中: 2, 下: 2, 後: 2, 后: 2, 상: 1, 중: 2, 하: 2 };

export interface CjkVolume {
  text: string;
  /**
   * A volume marker closes the name: the name before it is the work, whose volumes share its title
   * ("射雕英雄传 第一卷"). One followed by a title of its own ("三体 第二部 黑暗森林") is a series position.
   */
  volume: boolean;
}

/**
 * Volume markers of Chinese, Japanese and Korean names written as "Vol N",
 * set apart from a title that follows: "三体 第二部 黑暗森林" -> "三体 Vol 2 - 黑暗森林".
 */
export function readCjkVolumes(text: string): CjkVolume {
  if (!CJK_CHAR().test(text) || !VOLUME_HINT.test(text)) return { text, volume: false };
  let found = false;
  let titled = false;
  const vol = (n: number | null, whole: string, offset: number, all: string): string => {
    if (n === null || n > 999) return whole;
    found = true;
    const after = all.slice(offset + whole.length);
    if (!TEXT_AFTER.test(after)) return ` Vol ${n} `;
    titled = true;
    return ` Vol ${n} - `;
  };
  let out = text.replace(ORDINAL(), (whole: string, a: string | undefined, b: string | undefined, offset: number, all: string) => vol(volumeNumber(a ?? b ?? ""), whole, offset, all));
  out = out.replace(COUNTED(), (whole: string, a: string | undefined, b: string | undefined, offset: number, all: string) => vol(volumeNumber(a ?? b ?? ""), whole, offset, all));
  out = out.replace(HALF_UNIT(), (whole: string, a?: string, b?: string, c?: string, d?: string, offset?: number, all?: string) =>
    vol(HALVES[a ?? b ?? c ?? d ?? ""] ?? null, whole, offset!, all!),
  );
  if (!found) out = out.replace(HALF_ALONE(), (whole: string, half: string, offset: number, all: string) => vol(HALVES[half] ?? null, whole, offset, all));
  if (!found) out = out.replace(GLUED_NUMBER(), (whole: string, num: string, offset: number, all: string) => vol(volumeNumber(num), whole, offset, all));
  if (!found) return { text, volume: false };
  // "三体2: 黑暗森林": the colon after a volume only parts it from the volume's own title.
  if (VOL_COLON.test(out)) titled = true;
  return { text: out.replace(VOL_CLOSE, "$1 - ").replace(/\s{2,}/gu, " ").trim(), volume: !titled };
}

/** The text has Chinese, Japanese or Korean letters, which are written without spaces between words. */
export function hasCjk(text: string): boolean {
  return CJK_CHAR().test(text);
}
