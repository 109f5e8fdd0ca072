/**
 * What a built-in layer's answers depend on, as its identity (Layer.identity): kept apart from the layers
 * so that `status` can compare it with the one the layer last ran with without loading the layers
 * (the name parsing, the tag reader).
 */
import type { Config } from "../config/config-schema.js";
import type { BuiltinLayerId } from "../pipeline/layers/builtin-ids.js";
import { settingsIdentity } from "../pipeline/layer-identity.js";

type IdentityConfig = Pick<Config, "openlibrary_url" | "confidence_threshold">;

/**
 * Revisions of the built-in layers' logic: bump one when a release changes
 * what that layer answers, so every library runs it again (see Layer.identity).
 */
// 2: waiting-room folders, scene names, split books, ASINs (path); the artist's name as album, "Series: Title"
// albums, bounded MP4/Ogg reads (tags); mojibake and escape sequences (tags, sidecar).
// 3: Chinese, Japanese and Korean names (volumes, family names, full-width punctuation), titles opening with a
// number (path); "第3巻", "三体 第二部" as positions in series tags and sidecars (tags, sidecar).
// 4: year-sized numbers opening a title ("2001 - A Space Odyssey"), writers known by one name, Chinese and
// Japanese author lists ("鲁迅、周作人"), era/season/arc shelves inside a series, "(Book 1 of Series)", roman
// positions after the series name, release-name years (path); author lists with CJK separators in
// Audiobookshelf text sidecars (sidecar). Tags are unchanged: their lists are split when the profile is resolved.
// 5: four-digit numbers that cannot be years joined to their words as tags write them ("2034: A Novel of the
// Next World War"); a roman numeral after a series' name is its position when a sibling numbers the same
// words ("The Dark Tower V" beside "The Dark Tower I") (path).
// 6: rulers' names are no writers, folders of several books are never title folders (path).
// 7: a bare "Nk" is a bit rate only at an encoder's rate ("Warhammer 40k" keeps its number), a comma between
// digits is no position ("40,000") (path; tags and sidecars clean their values with the same junk rules).
// Also: dotted release names split into writer and title, numbered books right inside a person-named folder
// keep the base weight (path); a narrator tag "the Author" / "Read by the author" names the writer (tags).
// path-8, embedded_tags-6, sidecar-7: narrator values in tags and sidecars lose their reader phrase ("Narrated by",
// "Read by:", "gelesen von", "Lu par", "Sprecher:"; "gelesen vom Autor" names the writer) from the list folder
// names use, and a list of readers in one value is split as authors are; "Read by the author herself" (path).
// path-9, embedded_tags-7: a book's part written in words or numerals ("- Part One", "(Part II)", "Teil Zwei") stays
// in its title, "(Teil 2)" names no series "Teil", folder names' reader phrases come from the one list ("Raconté par")
// (path); an author that does not read as a person ("Warhammer 40k/Horus Rising") or a person's name before a title
// led by an article with no sibling names of that shape ("Percy Jackson - The Lightning Thief") is claimed with half
// the weight, a folder that cannot be a person ("Torrents 2024") no longer overrides the writer a book's own
// "Person - Title" names, a name that is only an ASIN or ISBN-13 is no title, a named edition ("(50th Anniversary
// Edition)") is the edition, no part of the title (path, and the album in tags); a composer or track artist taken for the reader loses its reader phrase ("Gelesen von X") and is never the
// writer (tags). Running the path layer again also judges every book again under the status rule that a book's
// confidence never exceeds its weaker of author and title.
// sidecar-8: a release's .nfo and a cue sheet are read (a loose file's own too).
// embedded_tags-8: an album led by its series and position ("The Dark Tower III: The Waste Lands", "Mistborn 3 - The
// Hero of Ages", "Star Wars: Thrawn (Book I)") names the series and its own title (rulers, wars and "Apollo 13" stay
// titles); ", Book 1" closing an album leaves the title when a series is tagged; "Author; Narrator" and "Author /
// Narrator" artists name the reader, and a reader listed in the artist is no writer; "(Narrated by X)" in a comment or
// description names the reader when no tag does.
// embedded_tags-8, sidecar-9: a subtitle that is the series and its position ("Mistborn, Book 1", as Audiobookshelf and
// Libation copy Audible's) is the series; a sidecar's title is read as the album is (series leading or closing it);
// an original release year (TDOR, ORIGINALDATE) earlier than a reissue's date is the book's year, an album sort
// "Mistborn 1 - The Final Empire" ending with the album names the series (Plex's ordering), sort artists ("Weir,
// Andy") name the writer when no artist does (tags); "Title: Book One of the Series", "Title (Book 5 of Series)" name
// the series, a series tagged without its part takes the album's position, and series names match with or without
// their article ("The Expanse" / "Expanse") (tags, sidecar); "(Narrated by X)" in a description (desc.txt,
// metadata.json, an OPF's) names the reader when no sidecar does (sidecar).
// path-10, embedded_tags-9, sidecar-10: "The Dark Tower V - Title" alone is a series and its position (not after a
// ruler's title or given name, a war or a council); "Tom 5", "Том 1", "Книга 2", "Bind 3", "Livro 2" are positions;
// double surnames ("Arturo Pérez-Reverte - Title") are no title glued to its writer; more European given names; a
// last dashed piece "- Dramatized", "- BBC Radio Drama" is the variant; "[Series] 1. Title" names the series with no
// series folder; "Zafón, Carlos Ruiz" is one person (path). "Title: Series 1" after a colon with
// no position word, "Title: Series, Band 3", and a subtitle "Series 1" name the series (tags, sidecar); reader
// phrases of other languages in descriptions ("Gelesen von X", "Lu par X", "Narrado por X") name the reader.
// path-11: "Author - Title - Series 1" and "Author/Title - Series 1" name the series after the title (readers may
// follow), a series folder "Series by Author" or "Series (by Author) - ..." names its writer; release names
// with a series and position ("Jim.Butcher.Dresden.Files.01.Storm.Front", "Brandon.Sanderson-Mistborn.1.Title") name
// the writer; "Series 1 - Series" under its writer's folder is the first book even when the series looks like a
// person; "Uncle Tom 1" is no Polish volume; "Author - Title - Book 1" claims its title (doubtful, half weight); two
// people's names tie-broken by the library's top folders ("Steve Jobs - Walter Isaacson" beside "Walter Isaacson/").
// "Libation", "OpenAudible", "Readarr", "Plex" folders name no one; "The Martian/The Martian - Part 1" is a part of
// the book, no series "The Martian" (path).
// embedded_tags-10: an artist "Author, Narrator" alone, with nothing naming the reader, marks its author claim as a
// list that may name the reader; another source naming the first person alone settles it at merge time; an artist
// "Author - Narrator" names both; an album "Author - Title" or "Title - Author" loses the artist's piece.
// embedded_tags-10, sidecar-11: a title "Title - Series 1" (a name and a small number as the last dashed piece) names
// the series, as "Title: Series 1" does.
// path-12: release names "George.Orwell.1984", "Stephen.King.11.22.63" (a writer and only a number: the number is the
// title) and "Andy.Weir.Project.Hail.Mary.2021" (a title longer than a name) name writer and title; "11.22.63" after
// words is no timestamp; "Stephen King - Season 1" is the writer's "Season 1", not a title "Stephen King".
// path-12, embedded_tags-11, sidecar-12: a name closing with "War" and a number ("Old Man's War 1") is a series'
// position unless it is the war itself ("World War 2", "Great War 1", "War 2").
// path-13: release names with a year after a number title ("George.Orwell.1984.2003"), a number in the title
// ("Ray.Bradbury.Fahrenheit.451"), a title's closing letter before the writer ("World.War.Z.Max.Brooks"); a season or
// an era under a folder that is no person makes it the series ("Doctor Who/Season 2 - The Stone Rose"); a name the
// other books beside it repeat is the writer ("Leonardo da Vinci - Walter Isaacson" beside "Einstein - Walter Isaacson");
// "[Reader, 2005, 96 kbps, MP3]" names reader and year; Cyrillic given names, surname first ("Акунин Борис");
// "Война и мир. Том 1" is "Война и мир - Том 1". sidecar-13: Cyrillic given names make a sidecar's people surer.
// path-13, embedded_tags-12, sidecar-13: readers named in Polish, Czech, Portuguese and Russian ("czyta X", "čte X",
// "lido por X", "читает X", "Чтец: X") in folder names, narrator tags and sidecars alike. path-13: an edition as the
// last dashed piece ("... - 25th Anniversary Edition"); three pieces naming no one name no writer; a year after the
// closing bracket ("Title (Nick Podehl) 2007"); the writer "Funke, Cornelia" shown "Cornelia Funke". embedded_tags-12: an album "The Stand (1978)" is dated, not titled so;
// An artist "Stephen King / Peter Straub" alone reads as "Stephen King, Peter Straub" does (embedded_tags-12).
// embedded_tags-12, sidecar-13: "Wiedźmin. Tom 1. Title", "Tintenwelt, Band 2: Title" lead with series and position.
// embedded_tags-12: an artist "Stephen King - Peter Straub" is two writers when the blurb names another reader; its
// writer and reader claims are marked so another source naming both as authors settles it (profile.ts). path-13 also
// re-judges every book for the profile's "Mistborn: The Final Empire" in a folder "Mistborn" (the series' book).
// path-14: a surname's particles inside a dotted release name ("Ursula.K.Le.Guin.The.Dispossessed",
// "Rebecca.Daphne.du.Maurier") are words of the writer's name; two given names
// sharing one surname are two writers ("Стругацкие Аркадий и Борис", "Аркадий и Борис Стругацкие"); so in
// author tags and sidecars too (embedded_tags-13, sidecar-14).
// path-14, embedded_tags-13, sidecar-14: "Saint-Exupéry, Antoine de", "Goethe, Johann Wolfgang von" (a particle behind
// the given names) are reversed names; "Tolkien J.R.R." (dotted initials after a surname) is "J.R.R. Tolkien".
// path-15, embedded_tags-14, sidecar-15: "J.R.R.Tolkien" (initials against the surname) is "J.R.R. Tolkien"; "Arkady and
// Boris Strugatsky" (one given name known, the other a capitalised word) is two writers, in names, tags and sidecars.
// path-15: release names "John.le.Carre.Smileys.People" (a given name and a particled surname before a rest that reads
// as a name only by its capitals), "Gabriel.Garcia.Marquez.Cien.Anos.de.Soledad" (a number word opens the title), a
// writer's folder in the library naming where a dotted name ends; "Don.Quijote.de.la.Mancha" names no writer. Running
// the path layer again also re-judges books whose tags name one writer of the pair their folder names (profile.ts).
// path-15: "Mistborn, Book 3: Title", "Star Wars: Thrawn (Book I)" in names; "The Expanse 1 - Leviathan Wakes" (a title
// shaped like a name after a series' position); "- A Jack Reacher Novel", "(A Jack Reacher Novel)" are subtitles; a
// reader after "Writer - Series, Book 1 - Title"; "- Deutsch" as the last piece is the language; "Title/Title - Part 1
// of 3" is a part; LibriVox's "(version 2)" is a variant, "_1208_librivox" junk; a reader other books' names close with.
// path-15, embedded_tags-14, sidecar-15: "(ASIN B0...)", "(ISBN ...)", "(Audible Original)" are junk; "HUGO, Victor",
// "Victor HUGO" (a surname in capitals) are "Victor Hugo"; "esp" is Spanish; "narr. by X", "Narrator X Y", "Reader: X"
// name the reader, "X, Y, et al." the readers X and Y; "(Podium Audio)", "(Tantor)" (publishers) and "Unabridged
// Edition" are junk; "der", "la", "el" between capitalised words mark a surname only after another particle ("Herr der
// Ringe" is no person). path-15: "Hero - Folge 1 - Title" is a series' episode; "(Hörbuch, gekürzt)" is Abridged. path-15: a dotted language word before a
// release's year and tags ("...Erde.GERMAN.2008.AUDIOBOOK"), "[2019, Reader]", "Title.by.Writer"; "Book 1 of 6" is 1; three or four
// words the release names beside a dotted name open or close with are its writer ("Arthur.Conan.Doyle.A.Study...");
// "Writer/World - Series/Book": the world is no writer; "Title/01 - Title - Part 1.mp3" is a part, no series "Title".
// path-16: "Pratchett & Gaiman - Good Omens" (two surnames joined, then a title of two or more words) names the
// writers, and under "Terry Pratchett/" the folder's writer; "Stephen King/The Institute - Santino Fontana" (a
// person no list knows after a title that is surely no person, under the writer's folder) names the reader; three
// or more people in parentheses after a title ("(Scott Brick, Simon Vance, Orlagh Cassidy)") are its readers.
// path-16, embedded_tags-15: a dramatization's marker as a middle dashed piece ("Neil Gaiman - Full Cast - Good
// Omens") is the variant, never the title or a series (name-tags.ts, which bracketed album titles go through too).
// path-16, embedded_tags-15, sidecar-16: a surname in capitals keeps its leading particles in lower case ("DE
// SAINT-EXUPÉRY, Antoine" is "Antoine de Saint-Exupéry", "VAN DER BERG, Jan" "Jan van der Berg"; "LE GUIN" stays
// "Le Guin"), and two particles may lead a reversed surname ("van der Berg, Jan"); "Fitzek Sebastian" (a surname,
// then a known given name that is rarely a surname) is "Sebastian Fitzek"; more given names ("Nicci French" is a
// person, so "Blue Monday - Nicci French" names her the writer).
// path-17: a hyphen with no space around it never parts a name ("DE SAINT-EXUPÉRY, Antoine - Le Petit Prince",
// "Pérez-Reverte, Arturo": a glued word then a comma is a reversed double surname); "Good Omens - Pratchett & Gaiman"
// (two surnames joined after a title) names the writers; release names never read a surname-first pair ("Hail Mary").
// path-17, embedded_tags-16, sidecar-17: "von Goethe, Johann Wolfgang", "VON GOETHE, Johann Wolfgang" (a particle
// leading the surname, two given names) are reversed names; "Fitzek Sebastian" scores as a full name, so its folder
// is the writer's and a person after the title there the reader ("Fitzek Sebastian/Passagier 23 - Simon Jäger").
// path-18: one word beside a surname pair joined by "&" is its title ("Preston & Child - Relic", "Relic - Preston &
// Child"; not after a plural, a surname's ending, a one-name writer or a note: "Fathers & Sons - Turgenev", "Pride &
// Prejudice - Annotated"), and under a folder naming one of the two any title is; a name read surname first loses a tie
// to one written given name first ("Moby Dick - Herman Melville").
// path-18, embedded_tags-17, sidecar-18: dotted initials after the comma of a surname in capitals ("DE SAINT-EXUPÉRY,
// A.", "TOLKIEN, J.R.R.") are given names; a form of address or a nickname's word before a given name ("Lord Jim",
// "Sister Carrie", "Lucky Jim") and "Dick", "Grace", "Jack", "John" second are no surname-first name; "(HQ)", "[HD]",
// "[Official Audio]", "(Free)" brackets are junk (path; tags and sidecars clean with the same rules); a release group
// dotted on after the format tag ("Title.2021.MP3.TAoE") goes, "Hobbit, The" and a series "Sword of Truth, The" (a
// title-sorted library's article last) read "The Hobbit", "Title - 01 of 20" is a part of the book (path);
// "(GraphicAudio)" names a dramatization's variant (path; album tags go through the same name-tags.ts). path-18 also:
// "Series/1045 - 2026 - Title" (a four-digit number then a year piece) is a position past 999 (long-series.ts); under a
// genre's folder, a one-word folder no list knows as a writer ("Fiction/Literary/", "Nonfiction/Sports/") leaves the
// writer to the person the book's name opens with; more genre words ("Literary", "Sports", "SFF") are containers; a
// double surname before "and"/"&" ("Mark Fainaru-Wada and Steve Fainaru - Title") is no glued title. path-18,
// embedded_tags-17, sidecar-18: "deGrasse" (a particle against a capital) is a word of a name; "O" opening a name is
// Portuguese's article, no initial ("Paulo Coelho - O Alquimista" named "O Alquimista" its writer). path-18: a
// folder's bracketed year range ("Mistborn (2006-2008)") is no part of the series; "Title, Series, Book 1" (a comma for
// Audible's colon) names title and series, no series "Title, Series"; "Writer - 12 Rules for Life - Subtitle" (a number
// opening three or more words) is a title, no series. path-18, embedded_tags-17, sidecar-18: "Martin Luther King, Jr."
// (a suffix after the comma) scores as the person it names; "(Editor)", "(Editors)", "(ed.)", "(Hrsg.)" are junk
// ("Neil Gaiman (Editor) - Unnatural Creatures" named the title its writer); "(Movie Tie-In)" and "- The Complete &
// Uncut Edition" (an article before an edition's words) are the edition (path; album tags through name-tags.ts);
// "[Kramer, Michael; Reading, Kate]" names the readers "Michael Kramer, Kate Reading" (path).
// path-19: "Author - Title - Part 1 - Prelude" (a part, then the part's own name) is the title's part, no series "Part"
// making "Author - Title" the writer; "pt01", "Pt 2" are written "Part 1", "Part 2". A translator named with the role
// ("Leo Tolstoy, Richard Pevear (Translator) - Title", "(Wibke Kuhn, Übersetzerin)") is neither writer nor title; German
// "(Simon Jäger liest)", "- Simon Jäger liest", "Simon Jäger liest Title" name the reader.
// path-20: "Stephen King - Part 2 - The Stand" (a person, a part, then the book) is "The Stand (Part 2)", no series
// "Part"; a reader closing the name after a part and its name ("... - Part 2 - Captain Trips - Grover Gardner") or right
// after the part is the reader; a role with no person in brackets ("(Translator)", "(Übersetzer)", "(Sprecher)",
// "(lektor)") goes, and readers' roles in German, French, Spanish, Italian, Dutch and Polish after a name ("Rufus Beck
// (Sprecher)") name the reader; "Douglas Adams/Stephen Fry/Title" (a person's folder between the writer's and an
// unnumbered book) is the reader, doubtful unless marked ("read by Stephen Fry", "Stephen Fry (Narrator)"), never a
// series, except for known series heroes ("Lee Child/Jack Reacher/Killing Floor", hero-names.ts); "Mark Twain/Twain -
// Tom Sawyer" (the folder's surname) is the folder's writer; "Lucky Jim - Kingsley Amis" (a name closing with a given
// name after a word that opens none) is a title. path-20, embedded_tags-18, sidecar-19: books known by their hero's
// name ("Tom Sawyer", "Anna Karenina", "Effi Briest": hero-names.ts) score as no person ("Twain - Tom Sawyer",
// "Oliver Twist - Charles Dickens"); "Juliet", "Rosamund", "Davina" are given names; "James S A Corey" (undotted
// initials) is a person. path-20 also: "Unknown", "Various Artists", "N/A" folders name no writer; "Title.MP3.mp3"
// loses the dotted format; "Title trans Edith Grossman", "Title, translated by X" drop the translator; the book's own
// folder without its article ("girl_with_all_the_gifts/001-190 - The Girl with All the Gifts") and a folder repeating
// the writer's ("Georgia Bragg/Title/Georgia Bragg/Title.mp3") are no series; "GraphicAudio" inside a series folder's
// name ("Deathlands GraphicAudio Collection 101 - 127") is no part of the series; "(Lesung)", "(Autorenlesung)" are junk;
// "冯雪松播讲" (the reader's verb after the name) names the reader; "三体 - 刘慈欣" (a title no family name opens, then
// a writer) is read title first. "Rufus" is a given name. "The Stand Part 2 - Captain Trips", "The Stand, Part 2 - ..."
// (a part glued to the title before the part's name) and "Author/The Stand/Part 2 - Captain Trips" (a part folder
// named after the part) are "The Stand (Part 2)", never a series "The Stand Part" or a title "Part 2".
// "Project Hail Mary - A Novel (Unabridged)" loses "A Novel" as it does without the bracket.
// embedded_tags-18, sidecar-19 also: credits with roles in German, French, Spanish, Italian, Dutch and Polish ("Umberto
// Eco (Autor), Burkhart Kroeber (Übersetzer)", "Rufus Beck (Sprecher)", "Jerzy Trela (lektor)") keep the writer for
// the author and the reader for the narrator (garbage.ts, every source).
// path-21: a known pen name of the writer's folder between it and the book ("Stephen King/Richard Bachman/The Long
// Walk", "J.K. Rowling/Robert Galbraith/...": pen-names.ts) is the book's writer, never its reader; a known audiobook
// reader in brackets after a title with no writer named ("Black Ops (R.C. Bray)": known-readers.ts) is the reader, a
// writer as before otherwise ("Watchers (Dean Koontz)"); a part followed by brackets of its own ("- Teil 1 (Live)") is
// the title's part ("Die Känguru-Chroniken (Teil 1) (Live)"), no title "Teil 1 (Live)". path-21, embedded_tags-19,
// sidecar-20: "第01集" (an episode's number) is a volume as "第1卷" is ("三体 第01集": "三体", volume 1).
// path-22: a folder repeating its book's folder name with a part ("The Stand/The Stand Part 01", "Pt. 01", "Teil 01",
// "Partie 1", "- Part 2 - Captain Trips") is that book's part ("The Stand (Part 1)"), never a series "The Stand" #1; a
// file that is a track of its book ("01.mp3", "01 - Chapter One.mp3", "01 - Глава 1.mp3", "Dune-01.mp3", "Deathlands
// 08 - Ice and Fire-018.mp3", "11 Alex.mp3" in a numbered book's folder) is that book, never a series' volume (".m4b"
// files excepted: "Mistborn/Mistborn 01.m4b" stays a volume); a known reader beside a title after a dash ("Black Ops -
// R.C. Bray") is the reader; "3 of 7 - Title" is position 3; "#9-Title" is position 9; "Writer - [Series -4.5]" names
// the writer and the position; a part's track drops its count ("Holly - Pt 01 - 01 of 10.mp3": "Holly (Part 1)"); one
// underscore between capitalised words of a spaced name parts fields ("Ada Lovelace_The Engine of Change"); a known
// reader in parentheses whose given name no list holds is the reader ("The Martian (Bahni Turpin)"). path-22,
// embedded_tags-20, sidecar-21: a labelled ISBN as a field of its own ("Title - ISBN 9781593974794") is junk
// (path-junk.ts), and a known reader in parentheses counts as a person (book-segment.ts); tags and sidecars share both.
// path-23, embedded_tags-21, sidecar-22: a surname in capitals then the given names is the writer ("SCOTT CARD Orson",
// "TOLKIEN J.R.R.": person-name.ts, which tag and sidecar names share; "Elmore Leonard" keeps its order); a person's
// name in parentheses after a writer, a series and its position is the reader ("Die Licht-Saga 01 - Schwarzes Prisma
// (Bodo Primus)"); a series suffix glued by a hyphen is the series' name ("Die Licht-Saga"); "Title, Book N" closing a
// name shaped as a title is the title and its place ("Harry Potter and the Sorcerer's Stone, Book 1"); a time whose
// colon became an underscore is the title ("10_ 04": "10:04").
// embedded_tags-22: an AUTHOR tag (Vorbis, TXXX:AUTHOR, ----:AUTHOR) is the writer over the artist; a grouping "The
// Expanse 2" (a name and a bare number) or a grouping beside a tagged part (©mvi, MVIN) is the series; a title tag
// repeating its file's name ("01 - Title.mp3") is no title claim; every value of a narrator tag or the composer
// (two NARRATOR comments, NUL- or "/"-separated frames) is a reader; "Title (Unabridged)" as a track title loses the
// release's words; a grouping that is a genre ("Audiobook") is no series; an album the title check refuses ("Unknown
// Album", "Audiobooks") is no album, so the track title is the book's as without one; an artist or album artist with
// a reader phrase names the reader, never the writer ("Read by X"; "Writer - read by X", "Writer (gelesen von X)" the
// writer, then the reader); a comment that is only the credit ("Narrator: X") names the reader. embedded_tags-22, sidecar-23: Windows-1251 bytes
// read as Latin-1 ("Ëåâ Òîëñòîé") are the Cyrillic they encode; "XXX" is no language. sidecar-23: a book.json (Audible's,
// Audnexus's or a flat record; keys matched without case or "_") and an info.txt (read as a .nfo) are read; OPF roles
// written as words ("narrator", "Author") count as their codes; "Book: 3" in release notes is the series' place
// ("Book: Dune" the title); a JSON series named alone takes its place from "volumeNumber".
// path-24: a numbered audio file among numbered siblings ("Guards! Guards!/04 - Sinister Grey Mists.mp3" beside "01 - ...",
// "02 - ...") is a track of its folder's book, as the scanner counts the folder one book; "01 - Part One.mp3", "Part 1 -
// Chapter 01.mp3" and a disc's folder ("Book/Disc 1/01.mp3", "Title by Writer/Title (Disc 01)") name the book above them;
// a folder saying "series" around a name names the series by that name ("Mistborn - Series", "The Mistborn Saga",
// "Mistborn Trilogy", "Harry-Potter-Reihe", "Cycle de Ewilan", "Le cycle de la Tour sombre": "La Tour sombre"); "Book
// Three The Hero of Ages", "Book III The Gunslinger" (a position spelled, no separator) lead the title. path-24,
// embedded_tags-22, sidecar-23: a surname in capitals then given names the list knows only second ("CARD Orson Scott")
// is the writer (person-name.ts, shared by every source); "(Author Narrated)", "[Author-Read]" name the writer as the
// reader (reader-phrase.ts); "Book 1, 2 & 3" is the range 1-3. path-24 also: a bracketed span of years ("(2006-2008)")
// is no part of the title and no year; "Title - Series Book 3 - Reader" under the writer's folder names the reader even
// when the title may read as a name; "Čapek, Karel - Válka s mloky" (one surname, a comma, one given name no list knows,
// then a title) names the writer; "Ender's Saga" keeps its word (a possessive needs it); "Writer - Title - Series #1"
// is the series and its place; "- 48 Hours" closing a name after writer and title is the recording's length (path-junk.ts);
// Norwegian, Danish and Finnish readers' phrases ("lest av", "indlæst af", "lukija:", reader-phrase.ts, every source);
// a folder that is only a language's name ("German/", "DE/", "English Audiobooks/") gives the books below it their language;
// "Writer/World - Hero/05 - Title" is the hero's series ("Discworld - Tiffany Aching"), a known reader there the reader;
// "Writer - Title - Series #41 - Reader" names the reader.
// path-25, embedded_tags-23, sidecar-24: roman positions up to LXXXIX after a volume word ("Warriors, Book XLI");
// other languages' ordinals as positions ("Tome premier", "Libro primero", "Книга первая", "Erster Band") and
// "Book the Third" (series-num.ts, series-marker.ts, every source); two capitals spelling a common word ("IT", "US",
// "NO") are no initials ("Stephen King - IT Follows" names its writer on the left; person-name.ts, every source).
// path-25: a year followed only by release tags dates the release ("Title 2012 MP3 64kbps"). (sidecar-24 refused a
// value that is only an unexpanded entity reference or holds markup in the reader; taken back before it landed: the
// pipeline's value checks reject such a value with a reason the user sees, test/reliability/hostile-values.test.ts.)
// path-25, embedded_tags-23, sidecar-24 also: a Cyrillic name surname first with a listed given name second ("Акунин
// Борис", "Лукьяненко Сергей") is shown given name first, as "Fitzek Sebastian" is (person-name.ts; the earlier choice
// kept it as written); Ukrainian and more given names in Cyrillic; a Cyrillic surname first loses no tie to a hero's name.
// path-25 also: "Teil/Part/Partie N - Title" beside other parts with distinct titles of their own is a series' book
// (siblings decide; one book's parts repeat its name, are chapters or stand alone). "Dune/Dune - 01 - Chapter 1.mp3" beside
// "Dune - 02 - Chapter 2" is a track of "Dune", no series' first book ("Discworld - 04 - Mort" among titled siblings is one).
// path-26, embedded_tags-24, sidecar-25: "#" before a leading position counts as "Book" does ("Mistborn #2: The Well of
// Ascension", subtitle.ts; "Apollo 13: ..." stays a title). embedded_tags-24: an album that is only a series and its
// position ("Dune, Book 1", "Война и мир. Том 1", "Dune #1"), nothing else naming the series, is read as a folder so
// named is (book-segment.ts): the series, its position, and the series' name as the title unless a track title that
// is no chapter names the book; "Catch-22", "Fahrenheit 451", "1984", "Apollo #13" stay titles. sidecar-25: Calibre's
// custom columns in an OPF ("#narrator", "#narrators", "#reader" and a series-type or "#series" column with "#extra#" its
// index) name the reader and the series when the OPF's own fields do not; content that is not Calibre's JSON is ignored.
// path-27, embedded_tags-25, sidecar-26: one family name written once for two people ("Стругацкие Аркадий и Борис",
// "Grimm, Jacob und Wilhelm", "Аркадий и Борис Стругацкие") is two writers shown given name first under the singular
// ("Аркадий Стругацкий & Борис Стругацкий"; person-name.ts, every source); a shelf named with a language's word for
// audiobooks or radio plays ("Hörbücher", "Livres audio", "Audiolibros", "Luisterboeken", "Ljudböcker", "Аудиокниги",
// "Hörspiele", any case, with or without diacritics: audiobook-words.ts) names no writer, title or series; a bare roman
// numeral past XXXIX ("XL", "L", "Liv") is no position (series-num.ts); a dramatization's tag ("(GraphicAudio)",
// "(Dramatized)", "(Radio Theatre)", "(Hörspiel)") is the variant and no longer stays in the title, in names and album
// tags alike, and "(Playaway)" is a publisher's junk. path-27: a position spelled in words alone under a writer's
// folder ("Борис Акунин/Первая книга") is the title. embedded_tags-25, sidecar-26: a series tagged apart beside a
// title holding a position in another language ("Tintenblut, Band 2", "Tome 2 : Title", "Дневной дозор. Часть 2",
// "Title (Книга 3)") gives the title without it and the series its position. sidecar-26: a Calibre column for the
// reader under other words or labels ("#performer", "#audiobook_narrator", "#sprecher", a column labelled "Narrator").
// path-27 also: German compounds ("Kinderhörbücher") and other languages' genre shelves ("Jeunesse", "Krimi",
// "Фантастика") right above a book name no writer; a folder that only names a dramatization ("GraphicAudio", "Focus on
// the Family Radio Theatre") names no writer and gives the books below it their variant; "Книга первая. Title", "Book
// One. Title" (a full stop after a leading position) read as with a dash; Greek's "Ο", "Η" opening a title are
// articles, no initials (person-name.ts, every source). sidecar-26 also: a dramatization's tag in a sidecar's title is
// the variant, as in names and albums ("The Way of Kings (GraphicAudio)").
// path-28: "Kinder- und Hausmärchen" (a glued hyphen before a conjunction) is no separator; "Die Saga" is no series "Die"; "Title. Teil 1", "Title 1 of 3" keep the part as "Title (Teil 1)", "Title (1 of 3)".
// path-29, embedded_tags-26, sidecar-27: "Goscinny et Uderzo/Astérix le Gaulois" (two surnames joined above a title) are the writers; "Title. Part 1 - Книга первая" is a part and its division, no series; an abbreviation's full stop ("Dr.", "St. Augustine", "Tolkien J. R. R.") is no separator; publisher and anthology folders and dashed pieces ("Brilliance Audio/", "Various Authors - ", "Разные авторы") name no writer; "Диск 1", "Kassette 1", "Płyta 1", "Часть 1" are pieces of the book above; "Оно (It)", "(Originaltitel: ...)" name the original, no part of the title; a file named with its folder's title is that folder's book; "Sapiens - A Brief History of Humankind" is a title and its subtitle; below "Various Authors/" a folder naming no person is a series; "Mistborn/Mistborn Era 1" is a shelf; names joined by "und", "et", "en", "и" are a list (every source).
// embedded_tags-27, sidecar-28: CP866 text in Latin-1 frames and ID3v1 (and Windows-1251 told from it); OverDrive's
// "Author; Narrator" artist; TPE3 as the reader; an album artist the narrator tag names is the reader, the artist the
// writer; ID3v2.3 TXXX values are not parted at "/" ("Fate/Zero", "N/A"); tags behind an ID3v2.4 or CRC-bearing v2.3
// extended header or an APEv2 tag at the start are read; a frame swallowing the frames after it gives no value;
// Vorbis YEAR and CONTENTGROUP and ID3 comments described "Narrator", "Series"... are read (tags). A scene .nfo in CP437 is read as CP437. Audiobookshelf 2.0-2.2's nested "metadata" and the API item's "media.metadata"
// are read; a sidecar that is a symbolic link is not followed (sidecar).
// openlibrary-2: an answer whose only writer is an anthology's many ("Various Authors", no-writer-names.ts, refused by
// garbage.ts since path-29) resolves nothing: its call is recorded "no_result", no longer "ok", so the answers stored
// under openlibrary-1 are asked again.
// path-30, embedded_tags-27, sidecar-28: "Война и мир. Том 1. Часть 1" (a volume, then its part, in ru, uk, pl, de, fr,
// es, it, en) is the series' place with the part kept in the title; "(Часть 1)", "(Część 2)", "(Диск 1)" closing a
// title are no series' position (subtitle.ts, every source); "Martin George R. R.", "Толстой Лев Николаевич" (a
// catalogue's order: surname, given name, initials or patronymic) are shown given name first (person-name.ts, every
// source). path-30 also: "Einstein - His Life and Universe" (one word before a life's subtitle) is the subject, not the
// writer, unless the library shows the word writing other books; markup, templates and code in a name ("<script>
// alert(1)</script>", "{{7*7}}", "'; DROP TABLE books;--") are kept whole as written, and the path's values are
// never refused as markup (they are the user's names; the pages escape them). Also (path-30, embedded_tags-27,
// sidecar-28): readers written "чит. X", "Читает: X", "читал X", "чтец X", "читає X", "Uppläst av X", "letta da X"
// (reader-phrase.ts, every source), or after a comma closing a title ("Оно, читает X"); "Anthology", "Антология" name
// an anthology's many writers; "(10th Anniversary Author's Definitive Edition)" is an edition; "Lew", "Fjodor" and
// other German spellings of Russian given names. path-30 also: "Дозоры. Книга 1. Ночной дозор" (full stops around a
// series' book), "Фандорина 01. Азазель" (a padded place and a full stop) and "Ночной дозор (Дозоры-1)" (a hyphen
// before the place) name the series and its place; "Дж." is one initial ("Дж. К. Роулинг", person-name.ts, every source);
// "64kbps mono", "128k Stereo": the channels go with the bit rate (path-junk.ts, every source).
// path-31, embedded_tags-28, sidecar-29: "Stephen King - Mono" (a release word after a writer alone is the title,
// path-junk.ts, every source); "Benjamin Blümchen - 001 - Title" (a number padded to three places between two pieces is
// a series' episode); "[Tor Audio]", "[Orion Audiobooks]" (a publisher's label in brackets is no reader,
// no-writer-names.ts); "The Final Empire - Brandon Sanderson - Mistborn 1" (title, writer, series); "The Stand.mp3."
// (a stray dot after the format); "...And Justice for All" keeps its ellipsis (every source); path-31 also:
// "Einstein/His Life and Universe" (a one-word folder above a life's subtitle) is the subject, as the dashed form.
// path-32, embedded_tags-29, sidecar-30 (an album's and a sidecar title's reading shares book-segment.ts): a part
// closing the name glued to the title ("The Way of Kings Part 1", "The Stand, Part 2", "Teil 1") is the title's part
// in brackets as after a dash ("The Way of Kings (Part 1)"); "Lee Child/Lee Child - 001 - Killing Floor"
// (the writer's folder repeated before a padded number) keeps its writer, radio plays' heroes ("Benjamin Blümchen",
// hero-names.ts) their series; a track or disc below a life's folder ("Einstein/His Life and Universe/01.mp3") reads as
// that folder; "Andy Weir/Project Hail Mary (2021)/Project Hail Mary.m4b" keeps the folder's year, reader and id;
// a part of a series named as a trilogy, a cycle or a saga ("Edelstein-Trilogie/Teil 1 - Rubinrot", "(Inheritance
// Cycle, Part 1)", series-words.ts) is its place in that series; "Andy Weir/Project Hail Mary/Project Hail Mary - Andy
// Weir.m4b" (the folder's title and writer again) is the folder's book, no series; "Стивен Кинг - Темная башня 1.
// Стрелок", "Тёмная башня 01, Стрелок" (a place, then a full stop or a comma, after the writer) names the series and
// its place (volume-part.ts);
// "The Stand/Part A", "Tape 1 Side A" (lettered pieces, a tape's side) and "The Stand/CD1 - The Stand" (a disc, then
// the folder's book) are that book; "Title, Part 1 of 2" is "Title (Part 1 of 2)"; "Good Omens {Full Cast}" (a
// recording's marker in Audiobookshelf's reader braces) is the variant, no reader (name-tags.ts); a folder or a dashed
// piece after the title named as a series of books ("The Hunger Games Trilogy/The Hunger Games", "Title - The Mistborn
// Saga", "Rubinrot - Edelstein-Trilogie", "Цикл Дозоры/Часть 1 - ...") is the series, no subtitle nor the book's folder;
// "Author/Sapiens/Sapiens - A Brief History of Humankind.m4b" (and Libation's "Sapiens_ A ...") is title and subtitle;
// "(Wheel of Time 1 of 14)" names the series and its place, the count of books nothing (every source); "Die drei
// Fragezeichen - Title (Folge 12)", "Star Wars - Thrawn (Book 1)": the place counts in the name before the title when
// that name is surely no person.
// embedded_tags-29: a professional reader (known-readers.ts) as the album artist over a writer as the artist, no
// narrator tag, is the reader (Plex-minded filing by reader); an AUTHOR tag beside an artist naming someone else makes
// that artist the reader ("Frank Herbert, Scott Brick": the names after the writer); an ID3v2.4 tag appended at the
// end (a "3DI" footer, before an ID3v1 tag or not) is read; two TXXX frames of one description are two values (the
// first counts), only one frame's "/" parts are rejoined. embedded_tags-29, sidecar-30: a value longer than 300
// characters (a blurb in the album, a 1 MB filler) is refused, no longer cut to its first 300 and claimed.
// embedded_tags-29 also: WMA's (ASF's) "Author" is the artist field, no AUTHOR tag over WM/AlbumArtist's writer.
// embedded_tags-29 also: QuickTime keyed metadata (mdta `keys`, as `ffmpeg -movflags use_metadata_tags` and phones
// write it) is read, each key as its iTunes atom or a freeform item ("narrator", "series").
// embedded_tags-29 also: a Vorbis or Opus "album_artist" / "ALBUM_ARTIST" comment (and TXXX:ALBUM_ARTIST) is the album artist.
// path-32 also: "Stephen King/1978. The Stand" (a year before a full stop) and "The Stand 2021 (Frank Muller)" (a year
// glued before the brackets closing the name) date the book, no part of its title; "Title [1 of 2]", "Title [Part 2]"
// read as "(1 of 2)", "(Part 2)" and "Part 01 of 12" as "Part 1 of 12" (book-segment.ts, every source).
// path-32 also: "Terry Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!" (a numbered sub-series under a series
// folder) keeps the writer's folder further up; "Stephen King/The Stand/CD1 - Bonus Interview" (a disc with a name of
// its own) is the book its folder names, no title "CD1" read by "Bonus Interview".
// path-32 also: "Die drei ???/012/Title" (a folder that is only a position) places the book in the series above, no
// writer "Die drei ???" nor series "012"; "TKKG - Title (Folge 1)" (an episode in brackets) names the series "TKKG".
// embedded_tags-29 also: 8-bit bytes in text marked UTF-8 (ID3v2.4 encoding 3, Vorbis comments, MP4 atoms), which
// music-metadata makes U+FFFD ("Les Mis\uFFFDrables"), are read again from the tag's bytes as Windows-1252 or a Cyrillic
// code page; a lone UTF-16 surrogate is dropped; an ID3v2 tag whose size runs past the file's end gives the frames
// that fit instead of no tags (replacement-chars.ts, file-tags.ts).
// path-32 also: a file named only by a track's number or a word any file bears ("01.mp3", "Audio Track 1.mp3", "Audio
// File.m4a", Audiobookshelf's layout) is read as its folder is ("Die drei ???/012/01.mp3" is episode 12, no title "012"),
// and any other track file, like the book's own disc or part folder, takes no place of the folders above ("Terry
// Pratchett/Discworld/03 - City Watch/01 - Guards! Guards!/CD 1/01 - The Night Watch.mp3" keeps its writer).
// path-32 also: a folder that is only a year ("Stephen King/1978/The Stand") dates the book below it, no series "1978";
// "1978.The Stand" (a year glued by its full stop) dates the book too; "Discworld/CD1 - Guards! Guards!" (a disc named
// as a book below a folder of one word) is the book "Guards! Guards!"; a file named as its folder, and a folder that
// is only a book's place ("Wizarding World/Book 1/Title.mp3", OpenAudible's) read as the folder's book and its place.
// path-32 also: Libation's file per chapter ("Title [ASIN]/Title [ASIN] - 01 - Chapter 1.m4b") is its folder's book.
// path-32 also: "Kishimi, Ichiro & Koga, Fumitake" and "Kishimi, Ichiro, Koga, Fumitake" (writers each "Surname, Given")
// are "Ichiro Kishimi & Fumitake Koga".
// path-32 also: a radio play's hero folder over an episode padded to three places or named by its word ("Benjamin
// Blümchen/001 - Title", "Bibi Blocksberg/001/Title") is the series, no writer; a track of an episode known only by
// its place ("Die drei ???/012/01 - Track.mp3") is that episode.
// path-32 also: a track's number in brackets after its folder's title ("Stephen King/It/It (1 of 3).mp3") is a track
// of that book, no book "It (1 of 3)" of a series "It".
// path-32 also: a series hero's folder over numbered books ("Jack Reacher/01 - Killing Floor") keeps their place; a
// track numbered below a place's folder ("Die drei ???/012/01 - Der Karpatenhund - Teil 1.mp3") is that episode, no
// series "012"; "Mistborn (by Brandon Sanderson)/Book 1 - Title" names the writer, series "Mistborn", and a book's own
// "(by X)" names the writer over its folder's guess ("Tolkien/The Hobbit (by J.R.R. Tolkien)"), no reader; writers listed
// "Surname, Given" in one dashed name ("Kishimi, Ichiro & Koga, Fumitake - Title") are the writers; a writer's folder
// over one file that names nothing ("Steven Levy/Audio File.m4a") gives the writer, no title "Steven Levy".
// path-32, embedded_tags-29, sidecar-30: a zero-width joiner or non-joiner beside a space, a text edge or an ASCII
// character joins nothing and goes ("Frank\u200d Herbert" is "Frank Herbert"; clean-text.ts, every source).
// acli34 (for the lead's next bump; path, sidecar and plugin readings, not tags' digits-only fields): a series number
// written as a digit ordinal with its right ending ("3rd", "21st", "11th") reads as that place, as "third" did (series-num.ts).
// acli34 also (every source, clean-text.ts): a ZWJ/ZWNJ stays only inside a word of a joining or Indic script, or ZWJ
// inside an emoji sequence; between Latin, Greek or Cyrillic letters it goes too ("Пу\u200cшкин" is "Пушкин").
// embedded_tags-29 also: a FLAC comment block or an Ogg comment header cut by the file's end (an interrupted download)
// gives its whole comments, not none (FLAC) nor the cut one as if whole (Ogg), with a warning that the file is cut
// short; one claiming more comments than it holds gives those it holds instead of no tags (flac-cut.ts, ogg-cut.ts);
// tone's PART (TXXX:PART, ----:PART, Vorbis PART, "3.5") is the series' place, before MVIN / ©mvi; an APEv2 tag at
// an MP3's end whose sizes run past it is left out, no longer costing the file its ID3v2 tag (file-tags.ts).
// path-32 also (ascan40): a detective's rank before a folder's name ("Inspector Rebus/01 - Knots and Crosses",
// "Commissario Brunetti/", "DCI Banks/") is the crime series, no writer (hero-names.ts); AAXtoMP3's chapter files
// ("Project Hail Mary/Project Hail Mary-01 Chapter 1.mp3") are tracks of the folder's book; a person's folder over one
// nameless file ("Steve Jobs/01.mp3", "Steven Levy/Audio File.m4a") is a doubtful writer, and a file named as its
// folder ("Steve Jobs/Steve Jobs.m4b") makes the folder's name the title; "- 6 CDs", "- 12 Discs" closing a name are
// the release's size; one known reader after a volume ("Title - Band 1 - Rufus Beck") is the reader; "Writer (Reader)
// - Title" names the reader; "(2014, Podium Publishing)" dates the release and reads no one (book-segment.ts, which
// album tags and sidecar titles share). Also: a disc's track in a book's folder ("1-01 Chapter 1.mp3", "d1t01.mp3",
// "The Stand Disc 01 Track 01.mp3") is a piece of that folder's book, no series; French "T1" for "Tome 1" as the last
// dashed piece, a whole name or leading one below a series' folder ("Les Trois Mousquetaires/T2 - Vingt ans après");
// at the library's root, a four-digit number no year can be after a name ("Perry Rhodan 2500 - Projekt Saturn",
// "Maddrax - 0523 - Title") is that series' position (long-series.ts), number titles ("3001 - The Final Odyssey") kept;
// a known hero's folder over numbered books ("Harry Hole/03 - The Redbreast") names the series the place counts in.
// path-32 also (ascan41): at the library's root, three digits between a name and a title ("Die drei ??? 125 -
// Feuermond", "TKKG 200 - Title", a hero's "John Sinclair 100 - Title") are a long series' episode; a writer after
// the dash ("Fahrenheit 451 - Ray Bradbury") keeps the number in the title.
// Also (ascan41): Scandinavian "del" for a volume ("Millennium del 1", "Millennium/Del 2") as "Band", "Tome" are
// ("Guillermo del Toro", "El nombre del viento" keep theirs: no number follows); "Thea Beckman - Kruistocht in
// spijkerbroek - Deel 2": a name-shaped lead before a work in sentence case and its volume is the writer.
// Also (ascan41): a file named as its folder with the words glued, then a part's or a track's number ("The
// Martian/TheMartian-Part01.mp3", "TheMartian_Track03.mp3") is a piece of the folder's book; "Part01" reads "Part 1".
// Also (ascan41): "容疑者Xの献身 東野圭吾" (ideographs, one space, a surely named person) is title then writer;
// "(全四册)" (all four volumes) is the release's size, dropped; "第一季" (season one) is a numbered piece as "第01集" is.
// path-33 (ascan42): LibriVox's section files ("Pride and Prejudice/prideandprejudice_01_austen_64kb.mp3") are sections
// of the folder's book, no series of the folder's name; surnames with a capital inside ("Jeff VanderMeer") and Arabic
// names' joined article ("Tawfiq al-Hakim", "Jalal al-Din Rumi") are people's names.
// path-33 (ascan42): the BBC's stations and labels ("BBC Radio 4 - Good Omens", "Title - BBC Radio 4 (1981)", "BBC Radio
// Collection") name no writer and no series "BBC Radio" 4; "Don Quixote", "Don Quijote de la Mancha", "Don Camillo"
// are works named for their heroes ("Cervantes - Don Quixote" is Cervantes's); "Title - edited by X", "- ed. by X",
// "- hrsg. von X" names the anthology's editor as its writer, as Audible and library catalogues credit them.
// path-33 (ascan42): "Ann and Jeff VanderMeer" shares the surname with a capital inside; Korean editions' "J.K. 롤링",
// "J.R.R. 톨킨" (initials, then a surname in Hangul) are people after a title ("해리 포터와 마법사의 돌 - J.K. 롤링").
// path-33 (ascan42): Audible's subtitle "Book One of The Wheel of Time" ("The Eye of the World_ Book One of The Wheel of
// Time.m4b") is series "The Wheel of Time", place 1, no subtitle, as the same words after a dash were read.
// path-33, embedded_tags-30, sidecar-31 also (ascan42): a tracker's "(audiobook PL)", "(Hörbuch DE)", "(Audiobook,
// ENG)" (the word for an audiobook and a language's code in capitals, in either bracket) names the language and
// leaves the title ("Solaris ( PL)" before; name-tags.ts, every source).
// path-33 also (ascan42): a roman numeral alone before the title ("The Wheel of Time/IV - The Shadow Rising") is the
// book's place as "Book IV - " is, no title "IV" nor writer "IV" (a track's "I - Sol 6.mp3" keeps its name); Arabic-Indic
// and Persian digits ("(١٩٥٦)", "(۱۹۳۶)") are read as digits, a year or a place.
// path-33 also (ascan42): a chapter's file with the chapter's title ("The Final Empire/Chapter 01 - Ashes.mp3", "The
// Final Empire - Chapter 01 - Ashes.mp3") is a track of the folder's book, no book "Ashes" of a series "The Final Empire"
// ("Chapter" held the letters of "pt", a part's mark).
// path-33 also (ascan42): "James Patterson with Maxine Paetro - 1st to Die" (a co-writer credited with "with") names
// both writers, as "A and B" does; "Tuesdays with Morrie" stays a title.
// path-33 also (ascan42): "Jim Butcher - Storm Front - Dresden Files, Book 1 - James Marsters" (the series' place with
// its word, then a person) is writer, title, series and reader, as with "Dresden Files 1" (a writer "Jim Butcher -
// Storm Front" and a title "James Marsters" before).
// path-33 also (ascan42): a track file naming its folder's book, a writer and its number ("Project Hail Mary/Project
// Hail Mary - Andy Weir - 01.mp3", "01 - Project Hail Mary - Andy Weir.mp3") is that book by that writer, no series
// "Andy Weir"; "Project Hail Mary/Project Hail Mary - Andy Weir.mp3" names the surer person after the folder's title
// the writer (the folder was only a guess at a writer's).
// path-33, embedded_tags-30, sidecar-31 also (ascan42): "Seamus Heaney (trans.)" is a translator's credit as
// "(Translator)" is, no writer and no title ("Beowulf - Seamus Heaney (trans.)"; book-segment.ts, every source).
// path-33 also (ascan42): Audiobookshelf's "Series #1" folder over its book ("Brandon Sanderson/Mistborn #1/The Final
// Empire.m4b", "The Expanse #1/Leviathan Wakes/") places the book as "Mistborn #1 - The Final Empire" does, no series
// "Mistborn #1" nor writer "Mistborn #1".
// path-33, embedded_tags-30, sidecar-31 also (ascan42): a spelled or roman position before a colon ("Book One: The
// Final Empire", "Book VII_ The Dark Tower.m4b") places the book as "Book 1: Title" does (book-segment.ts).
// path-34 (ascan43; book-segment.ts and person-name.ts are shared with embedded_tags and sidecar, whose revisions the
// same readings move too): a track or chapter number closing a name ("The Martian - Track 03.mp3", "Title_Track03",
// "The Shining - 01 - Chapter 1.mp3") is a piece of the book, no series "Track" nor book 1 of a series named for it;
// camel-cased titles glued to a piece's number split ("ProjectHailMary_Track03.mp3"); a part file under a folder
// sharing no word with its book ("Andy Weir/The Martian/ProjectHailMary-Part01.mp3") keeps no series of that folder.
// path-34 also: a sure lead writer vouches for a co-writer no list knows ("Skyward Flight - Brandon Sanderson with
// Janci Patterson" names both writers, the title first); Greek surname-first names ("Καζαντζάκης Νίκος") read given
// name first; Arabic and Persian names score by a known first name, so a title before its writer ("الخيميائي - باولو
// كويلو") is read so; a dotted Chinese hero's name before a title's words ("达·芬奇密码") is a title, "丹.布朗" a person.
// path-34 also: a translator by surname alone ("Pevear (Translator)") is dropped; a span of ten years or more closing
// a name without brackets ("Dune 1965-1985") is the books' years; "Expanse 1 - Leviathan Wakes - James S.A. Corey"
// places the book; Easy Rawlins, Hamish Macbeth and other heroes' folders count numbered books in their series.
// path-34 also: other rippers' track words ("Piste 01", "Spår 01", "Rozdział 01") read as "Track 01"; a chapter piece
// after the title ends the book's name ("The Hobbit - Chapter 01 - An Unexpected Party.mp3"), a chapter's name with a
// part's letters ("Party") is no part; "Title: Subtitle: Series, Book N" names the series after the last colon.
// path-34 also: "Mistborn Book 1 The Final Empire" (no dash anywhere) reads as "Mistborn Book 1 - The Final Empire".
// path-34 also (ascan44): "The Jungle Book 2 The Sequel" ("Book" closing a title's noun) keeps its title, no series
// "The Jungle"; "Atomic Habits- An Easy Way" (a hyphen glued before, spaced after) is a colon; a series code glued to
// its place ("HP1", "WoT01") places the book with no series "HP1"; more readers known by name ("(Andy Serkis)").
// path-34 also (ascan44): a zero-led number closing a name after the title ("Dune - 001.mp3") is a track, no book 1 of
// a series "Dune"; a disc in brackets before a track ("The Shining (Disc 1) - Track 01.mp3") is no title's words.
// path-34 also (ascan44): "Expanse 1 - Leviathan Wakes - James S.A. Corey - Jefferson Mays" reads series and place,
// title, writer and reader (a title of a name's shape before a surer person).
// path-34 also (ascan44): "Robert Jordan - 01 - Title - Michael Kramer" names the reader (no subtitle); "Harry Potter -
// 01 - Title" is a hero's series, no writer "Harry Potter"; Derek Perkins is a known reader.
// path-35 (ascan45; book-segment.ts and series-marker.ts are shared with embedded_tags and sidecar, whose revisions the
// same readings move too): a folder "Mistborn - 01" (or "- #1") is series Mistborn, book 1, no title (a regression of
// path-34, which read the "01" as a track); only a file's zero-led number closing the name is a track, and "Dune 001.mp3",
// "Project Hail Mary 01.mp3" (no dash, a track's file, not an .m4b) are too; "J.R.R. Tolkien/The Hobbit/01 An Unexpected
// Party.mp3" (iTunes' and Picard's "<track> <title>") is a track of the folder's book, no book 1 of a series "The Hobbit".
// path-35 also (ascan45): "Tolkien - LotR1 - Title" names the writer before a series' code, no series "Tolkien", and
// "Jordan - WoT01 - Title - Michael Kramer" the reader after the title (no subtitle); "The
// Jungle Book 2" ("Book" closing a title's noun) is a title, no series "The Jungle".
// path-35 also (ascan45; person-name.ts and given-names.ts are shared likewise): short Greek given names ("Ευγενίδης
// Άρης"), Greek and Arabic given names in Latin letters ("Kazantzakis Nikos", "Mahfouz, Naguib", "Palace Walk - Naguib
// Mahfouz") read as people the right way round; a name led by "Ibn", "Abu", "ابن" is a person's ("المقدمة - ابن خلدون").
// path-35 also (ascan45): a series' place folder written after a dash, padded or after a book's word ("Mistborn - 01/The
// Final Empire.m4b", "The Expanse 01/Leviathan Wakes", "Mistborn, Book 1/...") places the book it holds, as "Mistborn
// #1/" did; a chapter's file "01 - Prologue.mp3" two folders below reads as its book's folder.
// path-35 also (ascan45): a top folder opening with an article over a book's folder ("The Lord of the Rings/The
// Fellowship of the Ring", "The Expanse/Leviathan Wakes") is the series, no writer and no title swapped with the book's.
// path-35 also (ascan45): "Writer/Series/Title/01 - Chapter.mp3" (a track's file three folders below a writer's) is a
// track of the folder's book, no book 1 of a series named for that book.
// embedded_tags-29 also: an APEv2 tag at an MP3's end (foobar2000's, Mp3tag's) is read in every scan, not only when no
// other file was being read at once (music-metadata kept the footer it found in options shared by every read).
// embedded_tags-29 also: an MP4 cut inside its moov box (an interrupted download) gives the tag items whole before the
// cut, with a warning, instead of failing the file (mp4-tag-boxes.ts).
// embedded_tags-29 also: an APEv2 tag of over 1,000 items is read to its first 1,000, with a warning (file-tags.ts).
// embedded_tags-29 also: a 131-byte APEv2 tag last in the file is read, not taken for an ID3v1 tag titled "EX...".
// embedded_tags-29 also: Ogg FLAC's comments (none were read) are read, whole or cut by the file's end (ogg-cut.ts).
// embedded_tags-29 also: an ID3v2.3 name frame's "AC/DC" (one-word parts, one of two characters at most) is one name,
// and UTF-16 text without a BOM written big-endian is read byte-swapped back (utf16-byte-order.ts).
// embedded_tags-30 (atag11): a multiplexed Ogg file gives its first stream's comments only (a second stream's TITLE
// stood over the book's); an ID3v2 tag in big-endian UTF-16 without byte-order marks is read with its marks restored
// (TXXX names, years, MVIN positions and 1-2 character values were garbled); ID3v2.2 TXX frames are parted into name
// and value as TXXX; Shift-JIS bytes in frames marked Latin-1 (and ID3v1) are read as Japanese when every word reads
// so; a bare zero-padded number ("01", "001") is no book title; over 64 values of one kind are read to the first 64.
// embedded_tags-31 (atag12): a copyright or publisher tag ("©1965 Frank Herbert;(P)2019 Macmillan Audio" in cprt or
// TCOP, "(P) 2019 Publisher" / "℗ 2019" in TPUB or PUBLISHER) dates the book when no date tag does (the earliest year;
// a publisher's only beside a copyright sign); an ID3v2 text frame of over 10,000 values (one name repeated 100,000
// times) is cut before it is parsed, and a text frame repeated past 64 times read to its first 64, with a warning; the raw tags plugins receive show control, escape and bidi
// characters as the CLI's terminal-safe output does ("\e", "\u202e", "\n").
// embedded_tags-31 also: a series tagged without its part takes the grouping's position when the grouping names that
// series (©grp "Dune Chronicles, Book 1" beside ©mvn "Dune Chronicles"); an album artist naming no writer ("LibriVox",
// "LibriVox Volunteers", a publisher, "Various Artists") over a person as the artist leaves that artist the writer.
// embedded_tags-31 also: a lone file's track title beside an album that is a name and a bare number ("Leviathan Wakes"
// beside "The Expanse 1") is the title, the album the series and its place, when the title shares no word of that name.
// embedded_tags-31 also: an artist of two names joined by one semicolon alone ("Andy Weir; Ray Porter", "Weir, Andy;
// Porter, Ray") is marked as "Andy Weir, Ray Porter" is (the second may be the reader), as README said it was.
// sidecar-31: the shared readings above marked "embedded_tags-30, sidecar-31" (book-segment.ts, name-tags.ts).
// embedded_tags-31, sidecar-32: the shared readings of path-34 (book-segment.ts, person-name.ts) above.
// embedded_tags-32, sidecar-33: the shared readings of path-35 (book-segment.ts, series-marker.ts, person-name.ts,
// given-names.ts) above.
// embedded_tags-33 (atag14): an ID3v2 tag over 64 KB keeps its first 4,096 user-defined or unknown text frames in all
// (TXXX of distinct names were uncapped: 500,000 took ~6 s and 460 MB), its first 10,000 other frames and 16 MB of
// frames other than pictures, with a warning; standard text frames are kept wherever they stand. An unsynchronised
// ID3v2.2 or v2.3 tag is read with the scheme undone (UTF-16 values and the frames after them were misread), and an
// unsynchronised or extended-header tag is bounded as a plain one (it was read unwalked).
// embedded_tags-33 also: a file's bytes, not its name, decide what it is read as (an M4B named .mp3 or .flac, a FLAC
// or Opus named .mp3, an MP3 named .flac read nothing or noise; an MP3 named .m4b missed the MP3 readings); a FLAC
// behind an ID3v2 tag has its comments bounded as a bare FLAC's.
// embedded_tags-33 also: an ID3v2.4 tag with plain (not syncsafe) frame sizes is read frame by frame as the sizes land
// (iTunes' bug: a frame over 127 bytes and all after it were lost); ID3v2.4 TPE1/TPE2/TCOM "A B/C D" are two names.
// embedded_tags-32 (atag13): FLAC and Ogg comment lists bounded before the parse (each key's first 64, 4,096 in all,
// keyless comments skipped, a comment whose length runs past its list left out with a warning), an MP4 item's data
// atoms cut to its first 64; a series' place from BOOK NUMBER, VOLUME, tves and an upper-case Roman numeral in a place
// tag, the series from tvsh and SERIESTITLE.
// path-36 (ascan46; book-segment.ts is shared with embedded_tags and sidecar, whose revisions the same reading moves
// too): people named bare after the bracketed year closing a title ("Andy Weir - Project Hail Mary (2021) Ray Porter",
// "Dune (1965) Simon Vance, Scott Brick") read it, no longer part of the title; a note ("Unabridged", "Full Cast") is no one.
// path-36 also (ascan46): a file opening with its series' place folder's whole name ("Mistborn 01/Mistborn 01 - The Final
// Empire.m4b") reads as that folder's book, no writer "Mistborn 01"; a track's file named as its folder then a zero-led
// number ("1984/1984 01.mp3", "1984 01.mp3") is a track of that book, even of a title of digits alone (no series "1984").
// path-36 also (ascan46): "Hayy ibn Yaqzan - Ibn Tufail", "Kitab al-Hayawan - Al-Jahiz": a name led by "Ibn", "Abu" or a
// capitalised "Al-" is the writer beside a title holding the particle lower case; "Dresden Files - Storm Front",
// "Stormlight Archive - The Way of Kings", "Storm Front - The Dresden Files" (a name closing with Files, Archive,
// Chronicle, Legacy...) are series and title, no writer "Dresden Files" nor "Storm Front".
// path-36 also (ascan46): "The Hobbit/01 - An Unexpected Party.mp3" (a "<track> - <chapter>" .mp3 in a title's folder at
// the library's root) is a chapter of the folder's book, no book 1 of a series "The Hobbit"; an .m4b there, a folder
// named as a set of books or a hero's, and a three-digit episode keep the series' place.
// path-36 also (ascan46): a file alone right under a sure person's folder named by a name and a two-digit place
// ("Brandon Sanderson/Mistborn 01.mp3") is book 1 of that series, as the .m4b is; "Frank Herbert/Dune 001.mp3" stays a track.
// path-36 also (ascan46; path-junk.ts): an unlabelled ISBN-13 as a field of its own at either end of a name
// ("9780593135204 - Project Hail Mary", "Project Hail Mary 978-0-593-13520-4") is dropped as an ASIN there is, no writer.
// path-36 also (ascan46; book-segment.ts, shared as above): a person's name in brackets right after a sure person closing
// the name ("Ready Player One - Ernest Cline (Wil Wheaton)") or before the dash ("Ernest Cline (Wil Wheaton) - Ready
// Player One") is the reader though no list knows the given name; a pen name of that writer is none.
// sidecar-34, and embedded_tags-33 also: the shared readings of path-36 (book-segment.ts, path-junk.ts) above.
// embedded_tags-34 also: the shared name readings of path-37 (name-tags.ts, book-segment.ts, bracket-balance.ts).
// sidecar-35: the shared name readings of path-37 (translators' short credits, notes after the year, nested brackets).
// embedded_tags-34 (atag15): a tag's text repaired from another encoding (UTF-8 read as Latin-1, Windows-1251, CP866,
// Shift-JIS) is said as a warning naming the tags and the value before and after; UTF-8 read as Windows-1252 and
// saved again twice or three times over ("CafÃƒÂ©") is undone each time (was: once, "CafÃ©" the title).
// embedded_tags-34 also: an MP3 named .m4b or .flac has its APEv2 tag at the end read (it was read as a stream,
// which has no end to look at: foobar2000's and Mp3tag's values lost).
// embedded_tags-34 also: an ID3v2.4 tag unsynchronised by its header's flag alone (no frame flagged), frame by frame or
// whole, is read with the scheme undone (UTF-16 values and every frame after them were misread).
// embedded_tags-34 also: WAV (RIFF WAVE) and WMA (ASF) bytes are told apart from their name (a WAV or WMA named .mp3
// or .flac read nothing; an MP3 named .wav or .wma read nothing).
// embedded_tags-34 also: an MP4 with no moov box (cut inside the audio before a moov that comes last, a box before it
// claiming past the file's end) is unreadable, so the book's next file is read (was: an untagged book, nothing said).
// embedded_tags-34 also: a WAV's LIST or id3 chunk, or a LIST item, claiming past its end is a warning (riff-chunks.ts).
// embedded_tags-34 also: a U+FFFD ending a value (a UTF-16 value of an odd byte count) is dropped ("Dune\uFFFD").
// path-37 (ascan47): "Mistborn - The Final Empire", "Discworld - Guards! Guards!", "Foundation - The Psychohistorians" (one
// word shaped as a world's or a series' name: a compound closing with -born, -world, -light, -lance, -hammer, or a noun's
// ending -tion) are series and title at the library's root, no writer; any other lone word no list knows ("Koontz - The
// Watchers") stays the writer, claimed doubtful (the path layer's weight for it is unchanged: half).
// path-37 also (ascan47): "The Expanse - Leviathan Wakes" (an article and one noun, then two words no given name opens)
// is series and title at the root, no writer "Leviathan Wakes"; under a writer's folder the same shape keeps its reader.
// path-37 also (ascan47): "Ernest Cline - Ready Player One - Wil Wheaton" (a person's shape after a sure writer and a
// title of capitalised words naming no set of books) reads the book, no series "Ready Player One" nor title "Wil Wheaton".
// path-37 also (ascan47; name-tags.ts): a note after the bracketed year ("Dune (1965) Complete", "(1965) Complete
// Edition", "(1965) BBC Radio", "(1965) Dramatized") is read as in brackets (edition, variant or dropped), no title's words.
// path-37 also (ascan47; bracket-balance.ts): brackets nested ("Title [a [b] c]", "The Stand [Frank Muller [Narrator]]")
// stand one after the other, none lost; a bracket left open ("Dune (Book 1", "Dune [Simon Vance") closes at the name's
// end; a stray closing bracket is a space.
// path-37 also (ascan47): "Discworld/City Watch/01 - Guards! Guards!.mp3": a top folder of one word shaped as a world's
// name over a series' folder is the series, no writer "Discworld" ("Discworld/Mort" keeps its half-weight writer).
// path-37 also (ascan47; book-segment.ts, shared with embedded_tags and sidecar): a translator's credit in catalogues'
// short forms ("(tr. Reg Keeland)", "(trad. Lucia Graves)", "(trad. di X)", "(przeł. X)", "(пер. X)", "(vert. X)") is no
// part of the title; name-tags.ts's note after the year above is shared with the embedded tags' album reading too.
// path-37 also (ascan47): a known reader before the title and named again as the reader is the writer reading his own
// book ("Travis Baldree - Legends & Lattes (2022) [Travis Baldree]"); a series' hero before a title under a writer's
// folder ("Lee Child/Jack Reacher - Killing Floor") and a name the title opens with ("Dune - Dune Messiah") are the
// series, no writer; "Brandon Sanderson - Cosmere - Mistborn 1 - Title" names the writer alone (the
// world is an outer series); "The Wheel of Time 01-03" is an omnibus's places 1-3 (series-marker.ts).
// path-37 also (ascan47): "Mistborn Trilogy - The Final Empire" (a series' word closing the first name) is series
// "Mistborn" and the title, as the reverse order reads; "Mistborn/Mistborn - The Final Empire" names no writer "Mistborn";
// "Hella Haasse - Het woud der verwachting Deel 2" names the writer (a work in sentence case, its volume glued on).
// path-37 also (ascan47): a top folder the book's name opens with ("Dune/Dune Messiah") is the series, no writer.
// path-37 also (ascan47): "William Gibson - Neuromancer - Robertson Dean" (one word, then a person's shape no given
// name opens, after a sure writer) keeps its series-and-title reading but claims the title doubtful (half weight).
// embedded_tags-35, sidecar-36: the shared name readings of path-38 (name-tags.ts regions, series-marker.ts ranges, book-segment.ts).
// path-38 (ascan48): an underscored name with the writer at the end ("The_Martian_A_Novel_Andy_Weir") drops "A Novel"
// from the title and keeps another kind ("A Memoir", "A Thriller") as the subtitle; two given names before a surname
// there ("..._Yuval_Noah_Harari") are the writer's, no "Noah Harari" and a title closing "Yuval".
// path-38 also (ascan48; name-tags.ts is shared with embedded_tags and sidecar): a region in brackets beside or with the
// language ("[Español] [Latin America]", "(Español Latino)", "(Português do Brasil)") is a language note, no reader.
// path-38 also (ascan48; series-marker.ts, shared likewise): a rising range closing a name of two words or more ("George
// R.R. Martin - A Song of Ice and Fire 1-5") is an omnibus's places, as "01-03" is; "Mistborn 1-3" stays a title.
// path-38 also (ascan48): "Expanse - Leviathan Wakes" (a lone word, then two words no given name opens or closes, at the
// root) names no writer "Leviathan Wakes": the lone word is a half-weight writer (a series' compound, the series) and
// the pair a half-weight title; "Watchers - Dean Koontz" keeps its writer.
// path-38 also (ascan48; book-segment.ts, shared likewise): two or three Hebrew or Arabic words before " - N - Title"
// ("דוד גרוסמן - 1 - ...") are the writer numbering their books, no series.
// path-39 (ascan49; person-name.ts, given-names.ts, hero-names.ts and book-segment.ts are shared with
// embedded_tags and sidecar): two or three words of a person's shape with none of a title's marks are the writer on either
// side ("Oorlog - Hella Haasse": the ascan48 half-weight reading keeps only pairs closing with a plural's "-s", "Expanse -
// Leviathan Wakes"); under a writer's folder "Misery - Zeno Kalaris", "Pet Sematary - Zeno Kalaris" are title and
// reader (both half weight), "Killing Floor - Jack Reacher" title and series (at the root too); "Children
// of Blood and Bone - Bahni Turpin" after a writer reads it; "Het", "Een", "Ein" open no name, "van het" is a particle,
// and a particle-only name loses a tie to a known given name; "Mary_Ann_Shaffer_The_..." names "Mary Ann Shaffer"; a
// series' hero at the root ("Percy Jackson - ...", "Percy.Jackson.The.Lightning.Thief") and a world's top folder over a
// title ("Discworld/Mort") are the series, no writer; Hebrew and Arabic names the title repeats, led by a series' word
// or Hebrew's article on every word, or a hero's, are the series before " - N - Title"; more Dutch given names, "Max
// Havelaar" a hero's title.
// path-39 also (ascan50, folded in: 39 has not landed yet; given-names.ts and hero-names.ts are shared with embedded_tags and sidecar): a series'
// hero before a person ("Harry Potter - Jim Dale", "Harry Potter 1 - Jim Dale") is the series, the person its reader
// (known reader, or under a writer's folder) or writer; under a writer's folder a person's shape before a person
// ("Stephen King/Billy Summers - Zeno Kalaris") is title and reader (half weight); a series hero's folder over any
// numbered book ("Jack Reacher/03 - Tripwire") is the series, no writer (was a half-weight writer), and a hero read as
// the writer gains no trust from the shelf; "Herbert", "Koch", "Asimov", "Christie", "Simenon", "Kundera", "Murakami"
// join the surname-shelved writers ("Dune - Herbert"); more German and Dutch given names (Kerstin, Cornelia, Thea...), so
// "Kerstin Gier - Rubinrot Band 1" names its writer, no title "Kerstin Gier".
// embedded_tags-36 (atag16; with the shared name readings of path-39, as sidecar-37): ID3v2 genre (TCON) read by the spec (a refinement over its
// number, "((" escapes, ID3v1's "Other" and numbers past its list no genre; the grouping-is-a-genre check sees it); a
// WAV's LIST/id3 chunks after an audio chunk claiming past the file's end are read; a WMA whose ASF header holds a
// lying size is read up to it (it was refused whole); compressed and encrypted ID3v2 frames are left out (read as garbage text).
// embedded_tags-36 also (atag17): an ASF Content Description text claiming past its object is dropped with
// those after it (a title ran on into the author).
// embedded_tags-36 also (atag17): compressed ID3v2.3/v2.4 frames inflated (bounded: a zip bomb, a size over 16 MB a tag, a wrong size left out
// with a warning); the genre frame and compressed ones found past the tag's first 64 KB and in an unsynchronised
// v2.2/v2.3 tag; a v2.3 TCON parting values with NUL read value by value, warned as mixing versions.
// openlibrary-2 kept (asrc9, the lead's choice: a bump asks every processed book again over the network, for answers
// a lying charset header spoiled, which are rare): Open Library shares the HTTP module, whose reading changed: UTF-8 under a
// legacy charset's name (ISO-8859-1, windows-1252) is read as UTF-8, not as mojibake; an NDJSON answer is a list. HTTP
// sources' own revision (http-1, pipeline/sources/http-source-identity.ts) is not bumped either: a number past 2^53
// no longer gives a value, and answers read as mojibake before read right now.
// path-40 (ascan51, with embedded_tags-37 and sidecar-38; book-segment.ts is shared with embedded_tags and sidecar,
// whose revisions the same reading moves too): "The Stand - Grisham", "Het Diner - Pietersen", "Le Petit Prince -
// Saint-Exupéry" (a title opening with an article, then one word of a surname's shape, at the root) are title and a
// half-weight writer; "Jane Eyre - Bronte" (a hero's work, then a surname) and "Great Expectations - Dickens" (a
// one-name writer after a title of a person's shape) likewise; "Douglas Adams/Stephen Fry - Dirk Gently" (another
// person before the title under a writer's folder) is the reader, half weight unless known ("Stephen King/Peter Straub
// - Black House" now reads the same); "Stephen King - Frank Muller - The Stand" (a known reader between writer and
// title) is the reader, no series; a series hero's folder over an unnumbered book ("Jack Reacher/Killing Floor",
// "Benjamin Blümchen/Als Wetterelefant") is the series, no writer (was a 40-weight writer); "Wiedźmin Część 1" is
// "Wiedźmin (Część 1)" as "Der Schwarm Teil 2" is; "Theodor Fontane - Effi Briest Band 1", "Gustave Flaubert - Madame
// Bovary Tome 2", "Effi Briest Band 1 - Theodor Fontane" (a person's shape beside a work of a person's shape or named
// for its hero, with its volume) name the writer; "Ken Follett - Die Säulen der Erde Band 1 - Rufus Beck" the reader;
// "Harry Potter and the Goblet of Fire, Book 4 - J.K. Rowling - Jim Dale" keeps the title with its place (book-segment.ts).
// path-40 also: "Teil 2 - Der Schwarm", "Part 2 - The Stand" alone are the title's part (was a series "Teil", "Part");
// "Karl May/Winnetou Band 1 - Hans Paetsch" (a sure person after a volume under a writer's folder) is the reader (was
// the writer); "Der Schwarm - Schätzing (Teil 2)" keeps the part with the title beside a lone surname; "Tolkien - The
// Hobbit - Book 1", "Grisham - The Firm - Book 1" (one word before a work and its detached place) name the writer (the
// unlisted one at half weight), no title "Tolkien".
// path-40 also (ascan52): "Blood Song - Raven's Shadow #1" (a hash after a work no one's name) is title and series, under a
// writer's folder too; "11_22_63" (numbers joined by underscores) is "11/22/63"; "The Dark Tower 1 - Frank Muller" (a
// series' place then a known reader) names no title; "Mistborn - The Final Empire - Book 1" (a lone series' name before a
// work and its place) is the series; "Der Schwarm - Teil 2 - Schätzing" is the writer by surname; a name in one case
// only ("STEPHEN KING - THE STAND", "stephen king/the stand") is given a library's case (name-case.ts). The known reader
// after "Series N" is read in book-segment.ts, shared with embedded_tags and sidecar, whose revisions it moves too.
export const REVISIONS: Record<BuiltinLayerId, string> = { path: "path-40", embedded_tags: "embedded_tags-37", sidecar: "sidecar-38", openlibrary: "openlibrary-2" };

/** Only settings that change answers: Open Library's server and which books it looks up, not its pacing. */
function answerSettings(id: BuiltinLayerId, config: IdentityConfig): Record<string, unknown> {
  return id === "openlibrary" ? { url: config.openlibrary_url, confidence_threshold: config.confidence_threshold } : {};
}

/** The identity the pipeline gives built-in layer `id` under this config. */
export function builtinLayerIdentity(id: BuiltinLayerId, config: IdentityConfig): string {
  return settingsIdentity(REVISIONS[id], answerSettings(id, config));
}
