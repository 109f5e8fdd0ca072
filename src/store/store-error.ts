/** A database that cannot be opened or used; the message says which file and why. */
export class StoreError extends Error {}
