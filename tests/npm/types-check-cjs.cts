// The CommonJS view of the types (`require` condition).
import flexkit = require("flexkit");

const check: flexkit.CardNumberCheck = flexkit.checkCardNumber("5244209084665514");
const brand: flexkit.CardBrand | null = check.brand;
console.log(brand);
