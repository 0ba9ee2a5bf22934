// Forgiving text search for the roster and the school picker: an admin types "jose garcia" for
// "José  García", or a card number in any case.

// Letters that carry no combining mark to strip, spelled as a person without them would type them.
const kPlainLetters: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

// Lower case, accents and other combining marks removed, runs of whitespace made one space.
export function foldForSearch(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðþı]/g, (c) => kPlainLetters[c] ?? c)
    .replace(/\s+/g, ' ').trim();
}

// A record's searchable text, folded once (not on every keystroke): its fields kept apart, so a
// typed word never matches across two of them.
export function searchKey(...fields: (string | null | undefined)[]): string {
  return fields.map((f) => foldForSearch(f ?? '')).join('\u0001');
}

// A matcher for what was typed: every word of it must occur in the record's key (names are typed
// in either order: "garcia jose"). An empty term matches everything.
export function searchMatcher(term: string): (key: string) => boolean {
  const words = foldForSearch(term).split(' ').filter(Boolean);
  return (key) => words.every((w) => key.includes(w));
}
