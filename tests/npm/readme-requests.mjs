// The requests the README's FlexPay sandbox examples build, shared by the tests that run them.
export const rebill = (id, amount, paymentMethod) => ({
  transaction: {
    merchantTransactionId: id, orderId: "order-" + id, customerId: "cust-1", currencyCode: "USD",
    amount, retryCount: 1, referenceData: null, ...paymentMethod,
  },
});
export const visa = {
  paymentMethod: {
    creditCardNumber: "4920201996449560", expiryMonth: "12", expiryYear: "2030",
    firstName: "Ada", lastName: "Lovelace", postalCode: "10001", city: "New York", state: "NY",
  },
  retainOnSuccess: true,
};
