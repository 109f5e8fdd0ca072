/**
 * path-27, embedded_tags-25, sidecar-26: classes the last session's reading left wrong. Rows cite where a shape comes
 * from or say what it stands for; each table holds negative rows that only look like the rule.
 * - RU: Russian trackers and libraries ("Стругацкие Аркадий и Борис", "Борис Акунин/...", lib.rus.ec's surname-first).
 * - DE/FR/ES/NL/SV: the folder people keep their audiobooks in, in their own language ("Hörbücher/", "Livres audio/").
 * - GA: GraphicAudio, BBC and Focus on the Family dramatizations as shops and rippers name them.
 */
import { describe, expect, it } from "vitest";
import { splitAuthors } from "../../src/domain/person-name.js";
import { checkClaim } from "../../src/domain/garbage.js";
import { isContainerFolder } from "../../src/domain/path-junk.js";
import { check, type Row } from "./path-rows.js";

describe("a family name written once for two people, before or after their given names (RU)", () => {
  it.each<[string, string[] | null]>([
    ["Стругацкие Аркадий и Борис", ["Аркадий Стругацкий", "Борис Стругацкий"]],
    ["Стругацкие, Аркадий и Борис", ["Аркадий Стругацкий", "Борис Стругацкий"]],
    ["Аркадий и Борис Стругацкие", ["Аркадий Стругацкий", "Борис Стругацкий"]],
    ["Вайнеры Аркадий и Георгий", ["Аркадий Вайнер", "Георгий Вайнер"]],
    ["Дяченко Марина и Сергей", ["Марина Дяченко", "Сергей Дяченко"]],
    ["Strugatsky Arkady and Boris", ["Arkady Strugatsky", "Boris Strugatsky"]],
    ["Strugatsky, Arkady and Boris", ["Arkady Strugatsky", "Boris Strugatsky"]],
    ["Grimm Jacob und Wilhelm", ["Jacob Grimm", "Wilhelm Grimm"]],
    ["Grimm, Jacob und Wilhelm", ["Jacob Grimm", "Wilhelm Grimm"]],
    // Negative rows: titles joined by "and", a surname joined by "y", two whole names.
    ["Pride and Prejudice", null],
    ["Jack and Jill", null],
    ["José Ortega y Gasset", ["José Ortega y Gasset"]],
    ["Terry Pratchett and Neil Gaiman", ["Terry Pratchett", "Neil Gaiman"]],
    ["Pratchett, Terry and Gaiman, Neil", ["Terry Pratchett", "Neil Gaiman"]],
  ])("splitAuthors(%j)", (text, expected) => expect(splitAuthors(text)).toEqual(expected));

  it.each<Row>([
    ["Стругацкие Аркадий и Борис/Пикник на обочине", { author: "Аркадий Стругацкий & Борис Стругацкий", title: "Пикник на обочине" }],
    ["Strugatsky Arkady and Boris/Roadside Picnic", { author: "Arkady Strugatsky & Boris Strugatsky", title: "Roadside Picnic" }],
    ["Дяченко Марина и Сергей - Vita Nostra", { author: "Марина Дяченко & Сергей Дяченко", title: "Vita Nostra" }],
  ])("%s", check);
});

describe("a position spelled in words, alone under its writer's folder, is the book's title (RU)", () => {
  it.each<Row>([
    ["Борис Акунин/Первая книга", { author: "Борис Акунин", title: "Первая книга", series_num: undefined }],
    ["Борис Акунин/Первая книга (2006)", { author: "Борис Акунин", title: "Первая книга", year: "2006", series_num: undefined }],
    ["Борис Акунин/Книга первая.mp3", { author: "Борис Акунин", title: "Книга первая", series_num: undefined }],
    ["Sebastian Fitzek/Erster Band", { author: "Sebastian Fitzek", title: "Erster Band", series_num: undefined }],
    ["Stephen King/Book One", { author: "Stephen King", title: "Book One", series_num: undefined }],
    // Negative rows: a series' folder counts the position; digits stay a position; a position leading a title.
    ["Борис Акунин/Приключения Эраста Фандорина/Книга первая", { series: "Приключения Эраста Фандорина", series_num: "1" }],
    ["Brandon Sanderson/Mistborn/Book One", { series: "Mistborn", series_num: "1", title: undefined }],
    ["Борис Акунин/Книга 1", { author: "Борис Акунин", series_num: "1" }],
    ["Brandon Sanderson/Mistborn/Book One - The Final Empire", { series: "Mistborn", series_num: "1", title: "The Final Empire" }],
  ])("%s", check);

  // A full stop after a leading position parts it from the title as a dash does.
  it.each<Row>([
    ["Анджей Сапковский/Ведьмак/Книга первая. Последнее желание", { author: "Анджей Сапковский", series: "Ведьмак", series_num: "1", title: "Последнее желание" }],
    ["Сергей Лукьяненко/Дозоры/Книга 1. Ночной дозор", { series: "Дозоры", series_num: "1", title: "Ночной дозор" }],
    ["Brandon Sanderson/Mistborn/Book One. The Final Empire", { series: "Mistborn", series_num: "1", title: "The Final Empire" }],
    ["Robin Hobb/L'Assassin royal/Tome 2. L'Assassin du roi", { series: "L'Assassin royal", series_num: "2", title: "L'Assassin du roi" }],
    // Negative rows: a full stop inside a title, initials.
    ["Brandon Sanderson/Mistborn/The Book. One Night", { series: "Mistborn", series_num: undefined }],
    ["J. K. Rowling/Harry Potter and the Philosopher's Stone", { author: "J. K. Rowling", title: "Harry Potter and the Philosopher's Stone" }],
  ])("%s", check);
});

describe("a folder named with a language's word for audiobooks or radio plays names no one (DE/FR/ES/NL/SV)", () => {
  it.each<Row>([
    ["Hörbücher/The Stand", { author: undefined, title: "The Stand" }],
    ["HÖRBÜCHER/Die Therapie", { author: undefined, title: "Die Therapie" }],
    ["Horbucher/Die Therapie", { author: undefined, title: "Die Therapie" }],
    ["Hoerbuecher/Die Therapie", { author: undefined, title: "Die Therapie" }],
    ["Meine Hörbücher/Die Therapie", { author: undefined, title: "Die Therapie" }],
    ["Hörspiele/Die drei Fragezeichen/001 - Der Super-Papagei", { author: undefined, series: "Die drei Fragezeichen", series_num: "1", title: "Der Super-Papagei" }],
    ["Livres audio/Les Misérables", { author: undefined, title: "Les Misérables" }],
    ["audiolibros/La sombra del viento", { author: undefined, title: "La sombra del viento" }],
    ["Audiolibri/Il nome della rosa", { author: undefined }],
    ["Luisterboeken/De aanslag", { author: undefined, title: "De aanslag" }],
    ["LJUDBÖCKER/Män som hatar kvinnor", { author: undefined, title: "Män som hatar kvinnor" }],
    ["Ljudbocker/Män som hatar kvinnor", { author: undefined }],
    ["Lydbøger/Kongens Fald", { author: undefined }],
    ["Аудиокниги/Война и мир", { author: undefined, title: "Война и мир" }],
    ["Audiobooki/Wiedźmin", { author: undefined }],
    // German compounds, genre shelves in other languages right above the book, a dramatizations' producer's shelf.
    ["Kinderhörbücher/Der Grüffelo", { author: undefined, title: "Der Grüffelo" }],
    ["Livres audio/Jeunesse/Harry Potter à l'école des sorciers", { author: undefined, title: "Harry Potter à l'école des sorciers" }],
    ["Аудиокниги/Фантастика/Пикник на обочине", { author: undefined, title: "Пикник на обочине" }],
    ["Hörbücher/Krimi/Tiefe Wunden", { author: undefined, title: "Tiefe Wunden" }],
    ["Focus on the Family Radio Theatre/The Chronicles of Narnia/01 - The Magician's Nephew", { author: undefined, series: "The Chronicles of Narnia", series_num: "1", variant: "Focus on the Family Radio Theatre" }],
    ["GraphicAudio/Brandon Sanderson/Mistborn", { author: "Brandon Sanderson", title: "Mistborn", variant: "GraphicAudio" }],
    // The writer's folder below such a shelf is still the writer.
    ["Hörbücher/Sebastian Fitzek/Die Therapie", { author: "Sebastian Fitzek", title: "Die Therapie" }],
    ["Livres audio/Victor Hugo/Les Misérables", { author: "Victor Hugo", title: "Les Misérables" }],
  ])("%s", check);

  it.each<[string, boolean]>([
    ["Hörbücher", true], ["hoerbuecher", true], ["Livres Audio", true], ["Äänikirjat", true], ["Radio Plays", true],
    // Negative rows: a book's word, a writer, a title holding the word.
    ["Kinderhörbücher", true], ["Jeunesse", true], ["Фантастика", true], ["GraphicAudio", true],
    ["Das Hörbuch der Angst", false], ["Stephen King", false], ["Audiobook Dreams", false], ["Hörbücherei Müller", false],
  ])("isContainerFolder(%j) is %s", (name, expected) => expect(isContainerFolder(name)).toBe(expected));

  it.each(["Hörbücher", "Livres audio", "Аудиокниги", "Ljudböcker"])("checkClaim(author, %j) refuses it", (value) => {
    expect(checkClaim("author", value).ok).toBe(false);
    expect(checkClaim("series", value).ok).toBe(false);
  });

  // A genre's word may title a book: only a folder is read as a shelf.
  it.each(["Thriller", "Romans", "Krimi"])("checkClaim(title, %j) keeps it", (value) => expect(checkClaim("title", value).ok).toBe(true));
});

describe("a dramatization's or publisher's tag is the recording's, no part of the title (GA)", () => {
  it.each<Row>([
    ["Brandon Sanderson - The Way of Kings (GraphicAudio)", { author: "Brandon Sanderson", title: "The Way of Kings", variant: "GraphicAudio" }],
    ["Brandon Sanderson/Mistborn (GraphicAudio)", { title: "Mistborn", variant: "GraphicAudio" }],
    ["Neil Gaiman - Good Omens (BBC Radio 4 Dramatisation)", { title: "Good Omens", variant: "BBC Radio 4 Dramatisation" }],
    ["Neil Gaiman - The Sandman (Audible Original Drama)", { title: "The Sandman", variant: "Audible Original Drama" }],
    ["Jules Verne - 20,000 Leagues Under the Sea (Radio Theatre)", { title: "20,000 Leagues Under the Sea", variant: "Radio Theatre" }],
    ["C.S. Lewis - The Lion, the Witch and the Wardrobe (Focus on the Family Radio Theatre)", { author: "C.S. Lewis", title: "The Lion, the Witch and the Wardrobe", variant: "Focus on the Family Radio Theatre" }],
    ["Terry Pratchett - Mort (Hörspiel)", { title: "Mort", variant: "Hörspiel" }],
    ["Stephen King - The Mist (Full Cast)", { title: "The Mist", variant: "Full Cast" }],
    ["Brandon Sanderson - Mistborn (Playaway)", { author: "Brandon Sanderson", title: "Mistborn" }],
    // Negative rows: words of a title that only look like the tags.
    ["Tom Stoppard - The Real Inspector Hound (A Play)", { title: "The Real Inspector Hound (A Play)", variant: undefined }],
    ["Michael Frayn - Noises Off", { title: "Noises Off", variant: undefined }],
    ["Agatha Christie - The Mousetrap and Other Plays", { title: "The Mousetrap and Other Plays", variant: undefined }],
  ])("%s", check);
});

describe("Greek's article opening a title is no initial: the writer's folder stays the writer", () => {
  it.each<Row>([
    ["Νίκος Καζαντζάκης/Ο Καπετάν Μιχάλης", { author: "Νίκος Καζαντζάκης", title: "Ο Καπετάν Μιχάλης" }],
    ["Αλέξανδρος Παπαδιαμάντης/Η Φόνισσα", { author: "Αλέξανδρος Παπαδιαμάντης", title: "Η Φόνισσα" }],
    // Negative rows: Portuguese's "O" as before; a dotted initial still is one.
    ["Paulo Coelho/O Alquimista", { author: "Paulo Coelho", title: "O Alquimista" }],
    ["O. Henry/The Gift of the Magi", { author: "O. Henry", title: "The Gift of the Magi" }],
  ])("%s", check);
});
