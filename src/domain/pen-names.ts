import { personKey } from "./person-key.js";

/**
 * Writers and the pen names their books are published under, one writer a line: the real (or best-known) name first,
 * then the others. Libraries shelve such books as "Stephen King/Richard Bachman/The Long Walk": the middle folder is
 * the book's writer as published, never its reader nor a series. Only well-known pairs: an unknown pair of person
 * folders keeps the reading of its shape (path-analysis.ts, readerFolder). Spellings as published; personKey folds
 * dots, case and accents.
 */
const PEN_NAMES_TEXT = `
stephen king|richard bachman|john swithen
j k rowling|robert galbraith
nora roberts|j d robb|jill march|sarah hardesty
iain banks|iain m banks
agatha christie|mary westmacott
anne rice|anne rampling|a n roquelaure
dean koontz|leigh nichols|brian coffey|owen west|david axton|k r dwyer|aaron wolfe|deanna dwyer|john hill|richard paige
evan hunter|ed mcbain
isaac asimov|paul french
c s lewis|n w clerk|clive hamilton
ruth rendell|barbara vine
john banville|benjamin black
michael crichton|john lange|jeffery hudson|michael douglas
doris lessing|jane somers
joyce carol oates|rosamond smith|lauren kelly
julian barnes|dan kavanagh
donald e westlake|donald westlake|richard stark|tucker coe
cecil day lewis|nicholas blake
gore vidal|edgar box
ken follett|zachary stone|simon myles
jayne ann krentz|amanda quick|jayne castle
barbara mertz|elizabeth peters|barbara michaels
sophie kinsella|madeleine wickham
daniel handler|lemony snicket
daniel abraham|james s a corey|m l n hanover|daniel hanover
ty franck|james s a corey
seanan mcguire|mira grant|a deborah baker
kim harrison|dawn cook
megan lindholm|robin hobb
margaret astrid lindholm ogden|robin hobb|megan lindholm
samuel clemens|mark twain
samuel langhorne clemens|mark twain
theodor geisel|dr seuss|theo lesieg
alice sheldon|james tiptree jr|james tiptree
mary ann evans|george eliot
charlotte bronte|currer bell
emily bronte|ellis bell
anne bronte|acton bell
romain gary|emile ajar
walter moers|hildegunst von mythenmetz
kurt tucholsky|peter panter|theobald tiger|ignaz wrobel|kaspar hauser
fernando pessoa|alberto caeiro|ricardo reis|alvaro de campos
philip jose farmer|kilgore trout
`;

/** Every name of a line, keyed to the other names of that line. */
const OTHER_NAMES: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const map = new Map<string, Set<string>>();
  for (const line of PEN_NAMES_TEXT.split("\n")) {
    const names = line.split("|").map(personKey).filter(Boolean);
    for (const name of names) {
      const others = map.get(name) ?? new Set<string>();
      for (const other of names) if (other !== name) others.add(other);
      map.set(name, others);
    }
  }
  return map;
})();

/** "Richard Bachman" beside "Stephen King", "Iain M. Banks" beside "Iain Banks": two names of one writer (either way). */
export function isPenNameOf(name: string, writer: string): boolean {
  return OTHER_NAMES.get(personKey(writer))?.has(personKey(name)) === true;
}
