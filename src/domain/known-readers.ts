import { personKey } from "./person-key.js";

/**
 * Professional audiobook readers whose name follows a title in brackets on many shelves ("Black Ops (R.C. Bray)",
 * "The Martian (R.C. Bray)"). The shape "Title (Person)" with no writer named reads the person as the writer
 * ("Watchers (Dean Koontz)", "Good Omens (Terry Pratchett & Neil Gaiman)"), which is right for writers and wrong for
 * these: only people known chiefly as readers, never one who also writes the books shelved so (Stephen Fry, Neil
 * Gaiman, Wil Wheaton stay out). Spellings as credited; personKey folds dots, case and accents.
 */
const KNOWN_READERS_TEXT = `
r c bray|scott brick|ray porter|simon vance|kate reading|michael kramer|grover gardner|jim dale|roy dotrice|
steven pacey|luke daniels|tim gerard reynolds|nick podehl|george guidall|frank muller|will patton|edoardo ballerini|
jefferson mays|davina porter|barbara rosenblat|julia whelan|cassandra campbell|january lavoy|bahni turpin|
robin miles|john lee|simon prebble|kirby heyborne|mark boyett|travis baldree|jeff hays|andrea parsneau|heath miller|
emily woo zeller|nicholas guy smith|marc thompson|jonathan davis|peter kenny|ray chase|jayne entwistle|oliver wyman|
todd mclaren|tavia gilbert|khristine hvam|lorelei king|scott aiello|macleod andrews|christopher ragland|
steve west|john pruden|joe jameson|rc bray|l j ganser|kevin r free|dion graham|
rufus beck|david nathan|simon jager|simon jaeger|dietmar wunder|stefan kaminski|gert heidenreich|andreas frohlich|
andy serkis|derek perkins|rob inglis|derek jacobi|juliet stevenson|richard armitage|kenneth branagh|rosamund pike|
martin jarvis|elizabeth knowles|jim broadbent|james marsters|scott shepherd|adjoa andoh|
oliver rohrbeck|ulrich noethen|matthias koeberlin|jens wawrczeck|johannes steck|detlef bierstedt|oliver siebeck
`;

const KNOWN_READERS: ReadonlySet<string> = new Set(KNOWN_READERS_TEXT.split("|").map(personKey).filter(Boolean));

/** "R.C. Bray", "Scott Brick": a person known for reading books aloud, not for writing them. */
export function isKnownReader(name: string): boolean {
  return KNOWN_READERS.has(personKey(name));
}
