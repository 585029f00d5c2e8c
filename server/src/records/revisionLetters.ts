// Revision letters of every revisioned record (documents, DMRs, items): A, B, … Z, then AA, AB, …
// AZ, BA, … as ASME Y14.35 continues after Z (one rule for all; before issue 10, documents and
// DMRs refused to go past Z and items jumped from AA back to B).

/** The revision after `rev`: the next letter, carrying like a spreadsheet column (Z → AA, AZ → BA, ZZ → AAA). */
export function nextLetter(rev: string): string {
  const letters = rev.split('');
  for (let i = letters.length - 1; i >= 0; i--) {
    if (letters[i] !== 'Z') {
      letters[i] = String.fromCharCode(letters[i].charCodeAt(0) + 1);
      return letters.join('');
    }
    letters[i] = 'A';
  }
  return `A${letters.join('')}`;
}
