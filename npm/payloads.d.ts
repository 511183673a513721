// Payload types: filled in by the payload-types work (see js-tests/payload-types.test.ts).
export {};
