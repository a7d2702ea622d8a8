"""A fast rule tokenizer for the claims pipeline.

spaCy's default English tokenizer (exceptions, prefixes, infixes) costs more than the whole
extraction; this one splits in one regex pass and keeps every character offset of the text
exact (`doc.text == text` but for hard-wrapped breaks, below). Its tokens are what the phrase patterns
of models/ are matched on (the patterns are tokenized by the same rules):

- numbers with their separators ("5,933", "3.2", "135,25", "816 000" is two numbers);
- words of letters and digits ("FY2025", "Q3", "mn"), abbreviations with inner dots ("U.S");
- the possessive "'s" apart ("China's" is "China" "'s");
- every other character on its own ("%", "$", "-", "(", so "year-on-year" is five tokens).

A hard-wrapped line break inside a sentence is read as a space: the Doc's text then has a space
where the text has the break, at the same offset; `doc.user_data[TEXT_KEY]` keeps the text as given.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry

from extractor.claims.sentences import WRAPPED, wrapped

TEXT_KEY = "extractor.text"
WORDS_KEY = "extractor.words"  # the tokenizer's (words, spaces), so the components need not walk the Doc
# A token and the single space after it (its trailing space); any other whitespace is a token of
# its own, as in spaCy's own tokenizer. (A word, a number and whitespace begin with different
# characters, so their order is free: the commonest, a word, is tried first.)
TOKEN = re.compile(
    r"([^\W\d_]\w*(?:\.[^\W\d_](?!\w\w))*|\d+(?:[.,]\d+)*|\s+|['’][sS](?![^\W_])|\S)( ?)"
)


def _as_spaces(match: re.Match) -> str:
    return " " * len(match.group())


KEYS_REMEMBERED = 500_000  # words whose string-store key the tokenizer keeps (the vocab keeps more)


class FastTokenizer:
    def __init__(self, vocab):
        self.vocab = vocab
        self._keys: dict[str, int] = {}  # word -> its key in the string store
        self._keys_of = None  # the string store those keys are of

    def __call__(self, text: str) -> Doc:
        # A line broken inside a sentence (hard-wrapped copy) is read as the space it stands for,
        # so words on either side of it are neighbours to the phrase patterns and grammars;
        # the break is replaced by spaces of its length, so every character offset stays exact.
        flat = WRAPPED.sub(_as_spaces, text) if wrapped(text) else text
        pairs = TOKEN.findall(flat)
        words = [word for word, _ in pairs]
        spaces = [space == " " for _, space in pairs]
        doc = Doc(self.vocab, words=self._string_keys(words), spaces=spaces)
        doc.user_data[TEXT_KEY] = text  # Doc.text re-joins every token; the components reuse this
        doc.user_data[WORDS_KEY] = (words, spaces)
        return doc

    def _string_keys(self, words: list[str]) -> list:
        """The words as their keys in the string store, which Doc looks up faster than it hashes
        a string (the same lexemes); remembered across docs, as words repeat. Inside a memory
        zone, whose strings do not outlast it, the words themselves."""
        vocab = self.vocab
        if vocab.in_memory_zone:
            return words
        strings = vocab.strings
        if self._keys_of is not strings:
            self._keys, self._keys_of = {}, strings
        known = self._keys
        keys = list(map(known.get, words))
        n = -1
        try:
            while True:
                n = keys.index(None, n + 1)  # the next word not met before (a search in C)
                word = words[n]
                key = keys[n] = strings.add(word)
                if len(known) < KEYS_REMEMBERED:
                    known[word] = key
        except ValueError:  # none left
            return keys

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # The tokenizer has no state; these keep nlp.to_disk / spacy.load working.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "FastTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "FastTokenizer":
        return self


@registry.tokenizers("extractor.fast_tokenizer.v1")
def create_fast_tokenizer():
    def make(nlp):
        return FastTokenizer(nlp.vocab)

    return make
