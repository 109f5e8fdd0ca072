"""desc-narrator: the narrator, read from the description file in a book's folder.

Audiobook downloads often carry a desc.txt or an .nfo whose text says
"Narrated by Kate Reading and Michael Kramer" or "Read by: Simon Prebble".
shelfwise keeps desc.txt as the book's description but does not mine it; this
plugin does. A Library Manager style plugin: it runs unchanged there too.
"""

import os
import re

from library_manager.plugin_loader import BasePlugin

# Looked for in this order; the first that exists is read.
DESCRIPTION_FILES = ("desc.txt", "description.txt", "info.txt")
NFO_SUFFIX = ".nfo"
MAX_BYTES = 256 * 1024

# "Narrated by X", "Read by: X", "Narrator - X", "Performed by X".
MENTION = re.compile(
    r"(?:\b(?:narrated|read|performed)\s+by|^\s*(?:narrators?|readers?)\b)\s*[:\-\u2013]?\s*",
    re.IGNORECASE | re.MULTILINE,
)
TOKEN = re.compile(r"&|,|[^\s,&]+")
PARTICLES = {"de", "van", "von", "der", "den", "la", "le", "du", "di", "da", "del", "st.", "bin", "al"}
CONNECTORS = {"&", ",", "and"}
INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
MAX_NAMES = 6
# "Narrated by Audible Studios" names a company, not a person.
NOT_A_PERSON = re.compile(r"\b(?:audio|audiobooks?|studios?|productions?|publishing|media|full cast|cast)\b", re.IGNORECASE)


def read_names(text):
    """The names right after a mention, stopping at the first word that is not part of a name."""
    names, current = [], []
    for token in TOKEN.findall(text.split("\n", 1)[0]):
        word = token.strip("\"'()[]")
        ends_sentence = word.endswith((".", "!", "?", ";", ":")) and not INITIALS.match(word)
        word = word.rstrip(".!?;:") if ends_sentence else word
        if word.lower() in CONNECTORS:
            if not current:
                break
            names.append(" ".join(current))
            current = []
        elif word and (word[0].isupper() or (current and word.lower() in PARTICLES)):
            current.append(word)
        else:
            break
        if ends_sentence:
            break
    while current and current[-1].lower() in PARTICLES:
        current.pop()
    if current:
        names.append(" ".join(current))
    # A lone word ("Narrated by Audible") is more often a publisher than a person.
    people = [n for n in names if not NOT_A_PERSON.search(n)]
    return [n for n in people if " " in n or INITIALS.match(n.split(" ")[0])][:MAX_NAMES]


def join_names(names):
    """shelfwise's own spelling of several names: "A & B", "A, B & C"."""
    unique = []
    for name in names:
        if name.lower() not in [u.lower() for u in unique]:
            unique.append(name)
    if len(unique) > 2:
        return ", ".join(unique[:-1]) + " & " + unique[-1]
    return " & ".join(unique)


def find_narrator(text):
    for mention in MENTION.finditer(text):
        names = read_names(text[mention.end():])
        if names:
            return join_names(names)
    return None


class DescNarratorPlugin(BasePlugin):
    name = "desc-narrator"
    description = "Finds 'Narrated by ...' in a book folder's description file"
    version = "1.0.0"

    def description_file(self, book_data):
        folder = book_data.get("path") or ""
        # A loose audio file is a book of its own; its folder's files may belong to other books.
        if not os.path.isdir(folder):
            return None
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return None
        by_lower = {n.lower(): n for n in names}
        for wanted in DESCRIPTION_FILES:
            if wanted in by_lower:
                return os.path.join(folder, by_lower[wanted])
        for name in names:
            if name.lower().endswith(NFO_SUFFIX):
                return os.path.join(folder, name)
        return None

    def can_process(self, book_data):
        return self.description_file(book_data) is not None

    def process(self, book_data):
        path = self.description_file(book_data)
        if path is None or not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # .nfo files are often Windows-1252/Latin-1; Latin-1 decodes any byte.
            text = raw.decode("latin-1")
        text = text.lstrip("\ufeff")
        narrator = find_narrator(text)
        if narrator is None:
            print("no narrator mentioned in %s" % path)
            return None
        return {"narrator": narrator}
