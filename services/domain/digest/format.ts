// Wording shared by the email (HTML and text) and the web view, so they describe a paper alike.

/** "1 upvote", "12 upvotes". */
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export { plural }
