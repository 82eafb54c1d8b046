export * from './subscriptions.js'
export * from './topics.js'
