/** GS1 mod-10 check digit of the digits before it (GTIN-8/12/13/14 alike). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1); // weights 3,1,3… from the right of the body
  }
  return (10 - (sum % 10)) % 10;
}

/** A GTIN-14: 14 digits whose last is the mod-10 check digit of the first 13. */
export function isValidGtin14(gtin: string): boolean {
  return /^\d{14}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, 13)) === Number(gtin[13]);
}

/** Completes 13 digits with their check digit (seed and tests). */
export const withCheckDigit = (body13: string) => body13 + gs1CheckDigit(body13);
