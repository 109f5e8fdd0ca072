import { it } from "vitest";
import { parseMappedAnswer, claimsOf } from "../src/pipeline/sources/response-mapping.js";
it("probe", () => {
  const show = (body: string, mapping: any, rp?: string) => { try { const r = parseMappedAnswer(body, mapping, rp, "X"); console.log(JSON.stringify(r).slice(0, 400), r.ok && r.candidates[0] ? JSON.stringify(claimsOf(r.candidates[0])) : ""); } catch (e) { console.log("THROW", (e as Error).message.slice(0, 200)); } };
  show('{"__proto__": {"title": "polluted"}, "constructor": {"prototype": {"x": 1}}}', { title: "$.__proto__.title", author: "$.constructor.name" });
  console.log("polluted?", ({} as any).title, ({} as any).x);
  show('{"title": "T"}', { title: "$.title", author: "$.constructor.name", narrator: "$.toString", series: "$.hasOwnProperty" });
  show('{"title": {"a": 1}, "author": [["Deep"]], "year": true, "series": null, "narrator": 42}', { title: "$.title", author: "$.author", year: "$.year", series: "$.series", narrator: "$.narrator" });
  const deep = "[".repeat(100000) + "]".repeat(100000);
  show(deep, { title: "$..title" });
  show(deep, { title: "$.title" }, "$..items");
  show('{"title": "<b>Dune</b> <script>alert(1)</script>", "description": "<p>Hi &amp; bye</p><img src=x onerror=alert(1)>", "author": "Frank &lt;Herbert&gt;"}', { title: "$.title", description: "$.description", author: "$.author" });
  show('{"docs": [{"title": "Dune", "author_name": ["Frank Herbert"], "first_publish_year": 1965, "language": ["eng"]}]}', { title: "$.title", author: "$.author_name", year: "$.first_publish_year", language: "$.language" }, "$.docs");
  show('{"items": [{"volumeInfo": {"title": "Dune", "authors": ["Frank Herbert", "Kevin J. Anderson"], "publishedDate": "2005-08-02", "language": "en", "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780441013593"}]}}]}', { title: "$.volumeInfo.title", author: "$.volumeInfo.authors", year: "$.volumeInfo.publishedDate", language: "$.volumeInfo.language", isbn: "$.volumeInfo.industryIdentifiers[?(@.type=='ISBN_13')].identifier" }, "$.items");
  show('{"asin":"B002V1OF70","title":"Dune","authors":[{"asin":"B000AQ0842","name":"Frank Herbert"}],"narrators":[{"name":"Scott Brick"},{"name":"Orlagh Cassidy"}],"releaseDate":"2006-12-31T00:00:00.000Z","seriesPrimary":{"asin":"B00K5I5FX6","name":"Dune","position":"1"},"runtimeLengthMin":1263,"language":"english","summary":"<p>Set on the desert planet Arrakis</p>","genres":[{"asin":"1","name":"Science Fiction","type":"genre"}]}', { title: "$.title", author: "$.authors", narrator: "$.narrators", year: "$.releaseDate", series: "$.seriesPrimary.name", series_num: "$.seriesPrimary.position", language: "$.language", description: "$.summary", genres: "$.genres", duration: "$.runtimeLengthMin" });
  show('{"title": "Dune", "description": {"type": "/type/text", "value": "A desert planet."}}', { title: "$.title", description: "$.description" });
  show('{"matches": {"title": "obj not list"}}', { title: "$.title" }, "$.matches");
  show('[1, "str", null, {"title": "ok"}]', { title: "$.title" });
});
