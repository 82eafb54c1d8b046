export * from './delivery.js'
export * from './papers.js'
export * from './subscriptions.js'
export * from './topics.js'
