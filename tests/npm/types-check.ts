// Compiled with `tsc --strict` against the installed package: the shipped .d.ts must describe
// the API precisely enough for this to type-check, and must reject the misuse below.
import { checkCardNumber, detectBrand, cardBrandInfo, init, version } from "flexkit";
import type { CardBrand, CardNumberCheck, CardBrandInfo } from "flexkit";

async function main(): Promise<void> {
  await init();
  const check: CardNumberCheck = checkCardNumber("4920201996449560");
  const brand: CardBrand | null = check.brand;
  const valid: boolean = check.isValid && check.isPotentiallyValid && check.luhnValid;
  const count: number = check.digitCount;
  const first: CardBrand | undefined = check.candidates[0];
  const detected: CardBrand | null = detectBrand("34");
  const info: CardBrandInfo | null = cardBrandInfo("visa");
  const cvv: number | undefined = info?.cvvLength;
  const v: string = version();
  console.log(brand, valid, count, first, detected, cvv, v);

  // @ts-expect-error a number is not a card number string
  checkCardNumber(4920201996449560);
  // @ts-expect-error not a brand
  cardBrandInfo("visa card");
  // @ts-expect-error brand is nullable
  const notNull: CardBrand = check.brand;
  console.log(notNull);
}

void main();
