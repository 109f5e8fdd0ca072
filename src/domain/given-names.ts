/**
 * Common given names (lower case). A word from this list at the start of a
 * "First Last" shape is what tells "Gillian Flynn" (a person) from "Gone Girl"
 * (a title) when a folder could be either. Words that are also common title
 * words (Grace, Rose, Hope, Summer, King...) are left out on purpose.
 */
const NAMES = `
aaron abigail abraham ayn erich gottfried barack brit cassandra chimamanda garth glennon hanya lars lianne lucinda mhairi nevil nicci orlagh
ottessa riley ron sabaa santino stephenie tayari tess tomi juliet rosamund davina rufus ada adam adrian agatha aidan al alan alastair albert alex alexander alexandra alexandre
alfred ali alice alicia alison alistair allen amanda amelia amy andre andrea andreas andrew andy angela
angus ann anna anne annie anthony antoine anton antonio april arthur ashley audrey austin barbara barry
ben benjamin bernard beth betty beverly bill billy blake bob bobby bonnie brad bradley brandon brenda
brent brett brian bridget brittany brooke bruce bryan caitlin cameron carl carla carlos carol caroline
carolyn carrie casey catherine cecelia cecilia celeste charles charlie charlotte chelsea cheryl chloe
chris christian christina christine christopher chuck cixin claire clara clare claudia clive cody colin
colleen connie connor cormac courtney craig cynthia dale dan dana daniel danielle daphne darren dave
david dean debbie deborah debra delia denis denise dennis derek diana diane dick dmitry dolores dominic
don donald donna doris dorothy doug douglas dylan earl ed eddie edgar edith edmund edward eileen elaine
eleanor elena elias elif elizabeth ella ellen elly emilie emily emma eoin eric erica erik erin ernest
esther ethan eugene evan evelyn fiona frances francesca francis frank franz fred frederick fredrik
fyodor gabriel gabriela gail gareth gary gavin gene geoffrey george georgia gerald gilbert gillian
gina glen glenn gloria gordon graham greg gregory grover guy gwen hal hank hannah harlan harold harper harriet
harry haruki heather hector helen henning henry herman hilary holly howard hugh hugo iain ian ilona
irene iris isaac isabel isabella isabelle ivan jack jackie jacob jacqueline jake james jamie jan jane
janet janice jared jasmine jason javier jean jeff jeffrey jenna jennifer jenny jeremy jerry jesse
jessica jill jim jo joan joanna joanne jodi joe joel johann johanna john johnny jon jonathan jordan
jorge jose joseph josh joshua joyce juan judith judy jules julia julian julie julio justin kaitlyn
karen karin kate katherine kathleen kathryn kathy katie katrina kay kazuo keith kelly ken kenneth
kerry kevin kim kimberly kirby kristin kristen kurt kyle lana larry laura lauren laurie lawrence lee
leigh leo leon leonard leslie liam liane lily linda lincoln lindsay lindsey lisa liz lois lorna louis
louisa louise lucas lucy luis luke lynn madeline malcolm marc marcus margaret margery maria marian
marie marilyn mario marion mark marlon martha martin mary matt matthew maureen max maxine megan
melanie melissa mercedes meredith michael michel michele michelle miguel mike mikhail miles mitch
molly monica morgan naomi natalie nathan nathaniel neal ned neil nicholas nick nicola nicole nigel
nina noah nora norman octavia oliver olivia omar oscar owen pamela pat patricia patrick paul paula
pauline peggy penelope percy peter phil philip philippa phillip pierce pierre rachel ralph
randall randy ray raymond rebecca richard rick rob robert roberta robin rod roger roland ronald ross roy
ruth ryan sally sam samantha samuel sandra sara sarah scott sean sebastian seth shannon sharon
shelby sherry shirley simon sophia sophie stacy stanley stefan stephanie stephen steve steven
stuart sue susan suzanne sylvia tad tamsyn tana tara ted terence teresa terry theodore theresa thomas
tiffany tim timothy tina todd tom tommy toni tony tracy travis trevor tyler ursula valerie vanessa
veronica vicki victor victoria vince vincent virginia vladimir walter wayne wendy wesley will william
willie yuval zach zachary zadie zoe
`;

/**
 * Given names of the languages shelfwise reads series words of (Spanish, Italian, Portuguese, French, German, Dutch,
 * Polish, Scandinavian, Russian in Latin letters, English and German spellings: "Lev", "Lew"), accents kept and dropped: "Arturo Pérez-Reverte", "Andrzej
 * Sapkowski", "Jussi Adler-Olsen" read as people as surely as "Stephen King". Names that are also titles ("Carmen",
 * "Heidi", "Momo", "Rosa", "Angel") are left out, as above.
 */
const EUROPEAN_NAMES = `
kerstin cornelia thea annette gudrun jutta birgit silke ulrike brigitte monika gisela helga hildegard dörte doerte
wiebke frauke tanja ines ilse femke sjoerd guus theo
alberto alejandro alfonso almudena andres andrés arturo beatriz camilo cristina eduardo emilio enrique ernesto
federico felipe fernando francisco gonzalo guillermo ignacio jaime jesus jesús joaquin joaquín jordi josé
lorenzo lucia lucía luisa manuel marcos mariana marta nuria pablo pedro rafael ramon ramón ricardo roberto
santiago sergio vicente alessandro carlo dario fabio francesco giacomo gianni giorgio giovanni giulia
giuseppe italo luca luigi marco massimo niccolo niccolò paolo salvatore umberto valerio joao joão paulo
alain amelie amélie anais anaïs christophe claude didier dominique emile émile francois françois francoise
françoise frederic frédéric gaston georges gerard gérard gilles guillaume helene hélène henri honore honoré
jacques jerome jérôme joel joël julien laurent luc marcel marguerite mathieu maurice muriel nicolas olivier
pascal patrice philippe rene rené romain sebastien sébastien serge simone stephane stéphane sylvie thierry
veronique véronique yves anke bernhard dieter dirk elke ernst friedrich fritz gerhard gunter günter gunther
günther hans heike heinrich helmut hermann horst ingrid jens joachim johannes jorg jörg jurgen jürgen karl
klaus lukas manfred matthias nele petra rainer ralf sabine siegfried susanne thorsten ulrich uwe volker
werner wolfgang bram geert jaap jeroen joost kees koen maarten pieter tonke willem hella cees godfried gerrit hendrik
renate adriaan arnon ferdinand marga mensje annejet saskia tessa ilja gerbrand jef wim toon bart erwin griet kristien
lieve annelies hanneke marieke ineke anneke jacobus harm thijs sander ruud ronald frits annie hugo hanna agnieszka andrzej
boleslaw bolesław czeslaw czesław jacek jakub janusz jerzy katarzyna krzysztof maciej malgorzata małgorzata
marek michal michał olga piotr remigiusz stanislaw stanisław tadeusz tomasz wislawa wisława witold wojciech
zbigniew anders astrid bjorn bjørn camilla jonas jussi knut leif mikael nils ragnar selma sigrid stieg sven
ulf aleksandr alexei alexey arkady arkadi boris lev nikolai sergei yevgeny wilhelm
lew fjodor michail iwan sergej alexej wladimir juri jewgeni wassili dmitri pjotr
`;

/**
 * Russian, Ukrainian and Belarusian given names in Cyrillic, as Russian libraries and trackers write their writers and
 * readers ("Акунин Борис", "Клюквин Александр", "Сергей Лукьяненко"). Names that are also common words ("Вера",
 * "Надежда", "Любовь", "Роман", "Мир") are left out.
 */
const CYRILLIC_NAMES = `
александр александра алексей анастасия анатолий андрей анна антон аркадий арсений артём артем борис вадим
валентин валентина валерий василий вениамин виктор виктория виталий владимир владислав всеволод вячеслав
галина геннадий георгий глеб григорий дарья денис дмитрий евгений евгения егор екатерина елена елизавета
иван игорь илья ирина кирилл константин лев леонид людмила максим маргарита марина мария михаил наталья
наталия николай нина олег ольга павел пётр петр полина руслан светлана семён семен сергей станислав
степан тамара татьяна тимур фёдор федор эдуард юлия юрий яков ярослав айзек артур джордж джоан агата терри
рэй стивен харуки нил дэн дэниел джон джеймс дина софья ксения вероника эрих франц жюль чарльз эрнест уильям
дэвид томас роберт фридрих анджей ежи збигнев станислава богуслав
тарас богдан остап андрій олександр олексій іван петро микола василь григорій михайло павло сергій володимир
дмитро леся оксана тетяна ганна ірина софія віктор євген ліна валерій юрій
`;
/**
 * Greek given names, with and without the accent people often leave out of folder names: Greek libraries and
 * catalogues write the surname first ("Καζαντζάκης Νίκος", "Σεφέρης Γιώργος"), read by the second word as "Fitzek
 * Sebastian" is.
 */
const GREEK_NAMES = `
νίκος νικος γιάννης γιαννης γιώργος γιωργος γεώργιος γεωργιος κώστας κωστας κωνσταντίνος κωνσταντινος δημήτρης
δημητρης μιχάλης μιχαλης παναγιώτης παναγιωτης αλέξανδρος αλεξανδρος βασίλης βασιλης ανδρέας ανδρεας χρήστος χρηστος
θανάσης θανασης σταύρος σταυρος οδυσσέας οδυσσεας διονύσιος διονυσιος στράτης στρατης ηλίας ηλιας σπύρος σπυρος
πέτρος πετρος αντώνης αντωνης παύλος παυλος ισίδωρος ισιδωρος ιωάννης ιωαννης νικόλαος νικολαος άγγελος αγγελος
μάρω μαρω ελένη ελενη μαρία μαρια πηνελόπη πηνελοπη ρέα ρεα άλκη αλκη διδώ διδω κική κικη ευγενία ευγενια
λένα λενα σοφία σοφια ζυράννα ζυραννα κατερίνα κατερινα αργύρης αργυρης μένης μενης θοδωρής θοδωρης
`;

/**
 * Arabic and Persian given names (and the Arabic spelling of a few foreign ones Arabic editions print): scripts
 * without capitals give no shape to read, so a known first name is what tells "نجيب محفوظ" (a person) from
 * "الثلاثية" (a title), as the Latin list does for "Gillian Flynn".
 */
const ARABIC_NAMES = `
محمد أحمد احمد محمود مصطفى نجيب طه توفيق يوسف إحسان احسان جبران خليل غسان علي عمر حسن حسين إبراهيم ابراهيم
عبد عبدالرحمن عبدالله الطيب يحيى إميل اميل جرجي أمين امين ميخائيل نزار محمود أدونيس ادونيس بهاء علاء صنع
رضوى نوال أحلام احلام غادة ليلى سحر هدى مي رجاء إلياس الياس سعد صالح فؤاد كمال جمال زكي زكريا يوسف أنيس
واسيني ربيع إبراهيم أمين سلمان عبده مريد حنان هاني خالد باولو جورج ستيفن دان أجاثا اجاثا وليم ويليام تشارلز
فيكتور ليو فيودور غابرييل إرنست ارنست
صادق محمود سیمین فروغ هوشنگ جلال سهراب بزرگ غلامحسین علی محمد احمد شهرنوش زویا رضا عباس هادی
`;
/**
 * Greek given names as Greek folders shorten them ("Ευγενίδης Άρης", "Σαμαράκης Αντώνης") and as Latin letters write
 * them ("Kazantzakis Nikos", "Seferis Giorgos", "Nikos Kazantzakis"): surname first in Greek catalogues' order.
 */
const GREEK_MORE_NAMES = `
άρης αρης τάσος τασος μάνος μανος ντίνος ντινος λευτέρης λευτερης μάρκος μαρκος φώτης φωτης γρηγόρης γρηγορης
ζήσης ζησης βαγγέλης βαγγελης ευάγγελος ευαγγελος τάκης τακης λάκης λακης μάκης μακης γιώργης γιωργης απόστολος
αποστολος μανώλης μανωλης χάρης χαρης τηλέμαχος τηλεμαχος άλκης αλκης γιαννης ιάκωβος ιακωβος ρένος ρενος
νίκη νικη άννα αννα ιωάννα ιωαννα αλεξάνδρα αλεξανδρα έλενα ελενα ρένα ρενα φωτεινή φωτεινη έρση ερση έλλη ελλη
ζωρζ ντίνα ντινα μελίνα μελινα κατερίνα ευτέρπη ευτερπη τατιάνα τατιανα λιλή λιλη
nikos giorgos yiorgos georgios giannis yannis ioannis kostas konstantinos dimitris dimitrios vassilis vasilis
christos thanassis thanasis stavros manolis alexandros apostolos spyros petros pavlos odysseas menis aris takis
nikolaos panagiotis antonis stratis vangelis evangelos michalis kostis angelos lefteris fotis tasos manos
eleni maro alki ioanna katerina rhea zyranna didi
`;

/**
 * Arabic given names as Latin letters write them ("Naguib Mahfouz", "Mahfouz, Naguib", "Tawfiq al-Hakim"): English
 * and French editions' spellings. Words that are also common English ones ("Said", "Sultan") are left out.
 */
const ARABIC_LATIN_NAMES = `
ahmad ahmed mohammed mohammad muhammad mohamed mohamad mahmoud mahmud naguib najib tawfiq tawfik taha youssef yusuf
yousef youssif kahlil khalil ghassan nawal alaa hanan radwa ibrahim hisham hussein husain hassan hasan abdel abdul
abdelrahman abdulrahman abdullah abdallah mustafa mostafa tayeb sonallah gamal jamal khaled khalid samir
salim karim rashid saad nizar amin ameen ihsan yahya zakaria fatima aisha layla leila ghada hoda huda rajaa ahlam
samar salwa osama usama tariq tarek walid waleed yasmina kamel tahar assia mohsin hamid hamza idris youssra
ezzat bahaa yasser yasir adonis mourid mureed emile elias fadi fouad fuad ibtihal inaam jabra jurji mikhail
nagib raja rabee rabih wassini zaki habib sulaiman suleiman sulayman sahar amal nour noor buthaina
`;
export const GIVEN_NAMES: ReadonlySet<string> = new Set(`${NAMES} ${EUROPEAN_NAMES} ${CYRILLIC_NAMES} ${GREEK_NAMES} ${ARABIC_NAMES} ${GREEK_MORE_NAMES} ${ARABIC_LATIN_NAMES}`.split(/\s+/).filter(Boolean));

/**
 * Writers known by one name alone (lower case, accents kept and folded): "Homer - The Odyssey - Ian
 * McKellen" names a writer, a title and a reader, which a single capitalised word ("Watchers",
 * "Discworld") never says by its shape. Only names that are no common title word themselves; the few
 * classical names of two words ("Sun Tzu") are written with "_" here. Famous writers shelved by surname
 * alone ("Orwell - 1984", "Tolkien - The Hobbit") are read the same way.
 */
const ONE_NAME_WRITERS = `
homer virgil vergil ovid horace plato aristotle sappho hesiod pindar aesop aeschylus sophocles euripides
aristophanes herodotus thucydides xenophon plutarch epictetus lucretius catullus cicero seneca tacitus
suetonius livy petronius apuleius juvenal boethius lucian longinus menander polybius strabo quintilian
dante petrarch boccaccio voltaire moliere molière stendhal novalis colette saki vercors rabelais
confucius mencius laozi zhuangzi rumi hafez hafiz ferdowsi saadi kabir valmiki kalidasa tulsidas
josephus bede erasmus pliny euclid archimedes hippocrates plautus terence sallust lucan statius ovidius
demosthenes theocritus callimachus anacreon arrian procopius eusebius tertullian avicenna averroes maimonides
basho bashō multatuli augustine aquinas anselm plotinus socrates epicurus diogenes heraclitus attar nizami
nostradamus machiavelli cervantes shakespeare goethe tolstoy dostoevsky dostoyevsky chekhov kafka nietzsche
orwell dickens austen twain hemingway tolkien wilde faulkner steinbeck melville hawthorne thoreau dumas
verne zola flaubert proust camus sartre hesse borges neruda kipling chaucer milton dostojewski
herbert koch asimov christie simenon kundera murakami
sun_tzu lao_tzu lao-tzu chuang_tzu marcus_aurelius
`;

export const ONE_NAME_WRITER_SET: ReadonlySet<string> = new Set(
  ONE_NAME_WRITERS.split(/\s+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.replace(/_/gu, " ")),
);
