/**
 * Whether a Chinese, Japanese or Korean name reads as a person's. These
 * scripts have no letter case, so the shape that tells "Dean Koontz" from
 * "Watchers" is missing; a known family name at the start, at a person's
 * length, plays the part a known given name plays for Latin names
 * ("村上春樹", "金庸", "宮部みゆき", "한강"). A name with a grammatical particle
 * between words ("ノルウェイの森", "平凡的世界") is a title.
 */
import { lazyRegExp } from "./lazy-regexp.js";

const CHINESE_SURNAMES = new Set(
  [
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖蕭田董袁潘于蒋蔣蔡余",
    "杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閻段雷侯龙龍史陶黎贺賀",
    "顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯庄莊鲁魯巴柏岳易饶饒洪鲍鮑阎柳骆駱褚路冰老阿",
  ].join(""),
);
const CHINESE_COMPOUND_SURNAMES = ["欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "慕容", "令狐", "司徒", "皇甫", "公孙", "公孫", "夏侯", "宇文", "独孤", "獨孤", "端木"];
/** The commonest Japanese family names, and those of writers whose books fill audiobook libraries. */
const JAPANESE_SURNAMES = [
  "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "渡邊", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上",
  "木村", "斎藤", "斉藤", "清水", "山崎", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田",
  "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "福田", "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "中川",
  "松田", "竹内", "小野", "田村", "中山", "和田", "石田", "森田", "上田", "内田", "柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本",
  "大野", "小島", "谷口", "今井", "工藤", "高田", "増田", "丸山", "杉山", "村田", "大塚", "新井", "小山", "平野", "藤本", "河野", "上野",
  "野口", "武田", "松井", "千葉", "岩崎", "菅原", "木下", "久保", "佐野", "野村", "松尾", "市川", "菊地", "菊池", "杉本", "古川", "大西",
  "島田", "水野", "桜井", "高野", "吉川", "山内", "西田", "飯田", "西川", "小松", "北村", "安田", "五十嵐", "川口", "平田", "久保田",
  "服部", "東野", "川端", "夏目", "芥川", "太宰", "三島", "宮部", "宮沢", "宮澤", "伊坂", "有川", "江戸川", "横溝", "赤川", "西尾",
  "京極", "貴志", "恩田", "辻村", "角田", "吉本", "川上", "谷崎", "森見", "朝井", "百田", "池井戸", "司馬", "大江", "安部", "井伏", "筒井",
  "綾辻", "米澤", "米沢", "冲方", "上橋", "荻原", "重松", "浅田", "乃南", "桐野", "東川", "道尾", "凪良", "村山", "瀬尾", "町田", "吉村",
  "坂口", "新美", "志賀", "永井", "樋口", "与謝野", "正岡", "中原", "萩原", "北原", "徳田", "島崎", "尾崎", "国木田", "二葉亭", "住野",
  "川原", "鎌池", "伏見", "支倉", "谷川", "奈須", "丸戸", "渡", "時雨沢", "賀東", "橘", "佐島", "入間",
  "湊", "森", "林", "原", "関", "東", "星", "泉", "堀", "辻", "楡",
  // As Chinese editions write them.
  "东野", "宫部", "东川", "宫泽", "宫崎", "渡边", "斋藤", "铃木", "桥本", "泷本", "绫辻", "汤川", "凑", "岛田", "三岛", "芥川", "太宰",
  "川端", "夏目", "村上", "伊坂", "京极", "恩田", "辻村", "道尾", "贵志", "江户川", "横沟", "松本", "赤川", "西泽",
];
const KOREAN_SURNAMES = new Set(
  "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉".split(""),
);
const KOREAN_COMPOUND_SURNAMES = ["남궁", "황보", "제갈", "선우", "독고"];

const HAN_ONLY = lazyRegExp(() => /^\p{Script=Han}+$/u);
const HAN_THEN_KANA = lazyRegExp(() => /^\p{Script=Han}{1,3}[\p{Script=Hiragana}\p{Script=Katakana}ー]{2,4}$/u);
const HANGUL_ONLY = lazyRegExp(() => /^\p{Script=Hangul}+$/u);
/**
 * "斯蒂芬·金": a foreign name written out in Chinese, its parts set apart by a middle dot. The katakana
 * dot says less: "スティーヴン・キング" and "ソードアート・オンライン" are written alike.
 */
const DOTTED_NAME = lazyRegExp(() => /^\p{Script=Han}{1,8}(?:·\p{Script=Han}{1,8}){1,3}$/u);
const TYPED_DOT_HINT = /[.．•‧]/u;
const TYPED_DOT = lazyRegExp(() => /(?<=\p{Script=Han})[.．•‧](?=\p{Script=Han})/gu);
/** Characters of a title's words that Chinese never uses to write a foreign name's sounds. */
const TITLE_HAN = lazyRegExp(() => /[与與和之记記传傳案密码碼书書集篇部卷册冊国國城岛島险險谋謀杀殺宫宮梦夢魔石器时時代战戰争爭物语語故事王女孩]/u);
/** の, と, を between words, 的 anywhere: grammar, which a person's name does not have (之 and 与 are in names: 芥川龍之介, 与謝野). */
const PARTICLE = lazyRegExp(() => /[^\p{Script=Hiragana}][のとを][^\p{Script=Hiragana}]|的/u);

/** "J.K.ローリング", "C.S.ルイス": initials before a name written in katakana. */
// Korean and Chinese editions write the initials before the surname in their own script too: "J.K. 롤링", "J.R.R. 톨킨",
// "J.K.罗琳", "J.R.R.托尔金".
const INITIALS_THEN_KANA = lazyRegExp(() => /^(?:\p{Lu}\s?[.・]\s?){1,3}(?:[\p{Script=Katakana}ー・]{2,12}|\p{Script=Hangul}{2,6}|\p{Script=Han}{2,5})$/u);

/**
 * 3 for a foreign name written out ("J.K.ローリング", "斯蒂芬·金"), 2 for a known family name at a person's
 * length, -1 for a title's grammar, else 0. Short titles have a person's shape too ("三体"), and some start
 * with a family name ("白夜行"), so a family name is weaker evidence than a Latin given name.
 */
export function cjkNameScore(text: string): -1 | 0 | 1 | 2 | 3 {
  const spaced = text.replace(/\s+/gu, "");
  // "丹.布朗", "斯蒂芬•金": the middle dot typed as a full stop or a bullet, as Chinese forums and file names write it.
  const s = TYPED_DOT_HINT.test(spaced) ? spaced.replace(TYPED_DOT(), "·") : spaced;
  if (s.length < 2 || s.length > 12) return s.length > 12 ? -1 : 0;
  if (PARTICLE().test(s)) return -1;
  // Initials and the Chinese middle dot mark a person as surely as initials do in Latin names.
  if (INITIALS_THEN_KANA().test(s)) return 3;
  // "达·芬奇密码", "哈利·波特与魔法石": a dotted hero's name, then a title's own words, which no name written out in sounds
  // has ("与", "密码", "之"); "斯蒂芬·金", "阿加莎·克里斯蒂" stay people.
  if (DOTTED_NAME().test(s)) return TITLE_HAN().test(s) ? -1 : s.length >= 4 ? 3 : 0;
  if (HANGUL_ONLY().test(s)) {
    if (s.length > 4 || text.trim().includes(" ")) return 0;
    return KOREAN_COMPOUND_SURNAMES.some((c) => s.startsWith(c) && s.length >= 3) || KOREAN_SURNAMES.has(s[0]) ? 2 : 1;
  }
  const han = HAN_ONLY().test(s);
  if (han && s.length <= 4) {
    if (CHINESE_COMPOUND_SURNAMES.some((c) => s.startsWith(c) && s.length >= 3)) return 2;
    if (s.length <= 3 && CHINESE_SURNAMES.has(s[0])) return 2;
  }
  const kanaGiven = HAN_THEN_KANA().test(s);
  if (kanaGiven || (han && s.length <= 5)) {
    // "村上春樹", "宮部みゆき", "芥川龍之介": a family name, then a given name of one to four letters.
    for (const surname of JAPANESE_SURNAMES) {
      if (s.startsWith(surname) && s.length - surname.length >= 1 && s.length - surname.length <= 4) return 2;
    }
  }
  return 0;
}
