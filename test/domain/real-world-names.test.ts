/**
 * Folder and file names quoted in public bug reports of other audiobook organizers, read the way their reporters
 * expected (each row names its source). Only the fields a row names are compared.
 */
import { describe, expect, it } from "vitest";
import { readPath, type PathHints } from "../../src/domain/path-analysis.js";

type Row = [path: string, expected: PathHints];

function check(path: string, expected: PathHints): void {
  const got = readPath(path, { isFile: /\.(?:mp3|m4b)$/i.test(path) }).hints as Record<string, string | undefined>;
  expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]]))).toEqual(expected);
}

describe("names from other organizers' bug reports", () => {
  it.each<Row>([
    // deucebucket/library-manager#52: undotted initials read as a title, the title as the writer.
    ["James S A Corey/Leviathan Wakes", { author: "James S A Corey", title: "Leviathan Wakes" }],
    ["James S A Corey - Leviathan Wakes", { author: "James S A Corey", title: "Leviathan Wakes" }],
    // deucebucket/library-manager#143: a placeholder folder names no writer.
    ["Unknown/Black Ops (R.C. Bray)", { author: undefined, title: "Black Ops", narrator: "R.C. Bray" }],
    ["Various Artists/Craig Alanson - Ground State", { author: "Craig Alanson", title: "Ground State" }],
    ["Unknown Author/Black Ops", { author: undefined, title: "Black Ops" }],
    // deucebucket/library-manager#57: a format dotted onto the name before the extension.
    ["Eric Ugland - War of the Posers.MP3.mp3", { author: "Eric Ugland", title: "War of the Posers" }],
    // deucebucket/library-manager#61: a translator written on after the title.
    ["Miguel de Cervantes - Don Quixote trans Edith Grossman", { author: "Miguel de Cervantes", title: "Don Quixote" }],
    ["Leo Tolstoy - Anna Karenina, translated by Rosamund Bartlett", { author: "Leo Tolstoy", title: "Anna Karenina" }],
    ["Miguel de Cervantes - Don Quijote traducido por Edith Grossman", { author: "Miguel de Cervantes", title: "Don Quijote" }],
    // vavallee/bindery#2547: the book's own folder, its article dropped, above "NNN-total - Title" files, is no series.
    ["girl_with_all_the_gifts/001-190 - The Girl with All the Gifts.mp3", { title: "The Girl with All the Gifts", series: undefined }],
    // Listenarrs/Listenarr#308: a tool's doubled nesting repeats the writer's folder; it is no series.
    ["Georgia Bragg/How They Croaked/Georgia Bragg/How They Croaked.mp3", { author: "Georgia Bragg", title: "How They Croaked", series: undefined }],
    // VacantlyCrushing/Shelfarr#6: a dramatization label and a spaced range in a series folder's name.
    ["Deathlands GraphicAudio Collection 101 - 127/Deathlands 102 - Haven's Blight", { series: "Deathlands", series_num: "102", title: "Haven's Blight" }],
    // Audible's "Title: A Novel" written with a dash, then a recording's tag: "A Novel" is no title, its title no writer.
    ["Project Hail Mary - A Novel (Unabridged)", { author: undefined, title: "Project Hail Mary" }],
    // Negative rows: a word that only starts like a role, and titles with a lone "A" or a trailing dot of their own.
    ["Trans Am - Peter Smith", { author: "Peter Smith", title: "Trans Am" }],
    ["Brave New World - A Novel", { title: "Brave New World" }],
    ["Karel Čapek/R.U.R.", { author: "Karel Čapek", title: "R.U.R." }],
    ["Andy Weir/Project Hail Mary/Project Hail Mary.m4b", { author: "Andy Weir", title: "Project Hail Mary", series: undefined }],
  ])("%s", check);
});

describe("names as German, Polish, Chinese and Japanese libraries write them", () => {
  it.each<Row>([
    // A reader in brackets whose given name no list knew, after a series' book with its writer named.
    ["Rowling, J.K. - Harry Potter 1 - Harry Potter und der Stein der Weisen (Rufus Beck)", { author: "J.K. Rowling", title: "Harry Potter und der Stein der Weisen", series: "Harry Potter", series_num: "1", narrator: "Rufus Beck" }],
    // "(Lesung)": a reading, as every audiobook is.
    ["Sebastian Fitzek - Der Heimweg (Lesung) - Simon Jäger", { author: "Sebastian Fitzek", title: "Der Heimweg", narrator: "Simon Jäger" }],
    ["Sebastian Fitzek - Der Heimweg (Autorenlesung)", { author: "Sebastian Fitzek", title: "Der Heimweg" }],
    // Chinese: the reader's verb after the name; a title no family name opens before its writer.
    ["三体 - 刘慈欣 - 冯雪松播讲", { author: "刘慈欣", title: "三体", narrator: "冯雪松" }],
    ["三体 - 刘慈欣 - 演播 冯雪松", { author: "刘慈欣", title: "三体", narrator: "冯雪松" }],
    ["活着 - 余华", { author: "余华", title: "活着" }],
    ["鬼吹灯 第一部 精绝古城 - 天下霸唱 - 周建龙播讲", { narrator: "周建龙" }],
    // Negative rows: Japanese and Polish readers marked before the name.
    ["夏目漱石 - こころ (朗読 : 西村俊彦)", { author: "夏目漱石", title: "こころ", narrator: "西村俊彦" }],
    ["Stanisław Lem - Solaris (czyta Roch Siemianowski)", { author: "Stanisław Lem", title: "Solaris", narrator: "Roch Siemianowski" }],
  ])("%s", check);
});
