/** A curated topic as shipped; operators may edit the rows later, start-up only adds missing ones. */
export interface SeedTopic {
  readonly slug: string
  readonly name: string
  readonly description: string
  /** Computed rather than matched: `trending` is the day's top papers by upvotes. */
  readonly builtIn?: boolean
  readonly interests: readonly string[]
}

export const TRENDING = 'trending'

export const SEED_TOPICS: readonly SeedTopic[] = [
  {
    slug: TRENDING,
    name: 'Trending',
    description: "The day's top papers by upvotes, whatever they are about.",
    builtIn: true,
    interests: [],
  },
  {
    slug: 'ai-safety',
    name: 'AI safety & alignment',
    description:
      'Alignment, oversight, red teaming, guardrails, unlearning and evaluations of risk.',
    interests: [
      'alignment AND (safety OR "language model" OR llm OR agent)',
      'ai safety',
      'red teaming',
      'jailbreak*',
      'guardrail*',
      'machine unlearning',
      'reward hacking',
      'scalable oversight',
      'mechanistic interpretability',
      'deceptive alignment OR sandbagging OR sycophancy',
    ],
  },
  {
    slug: 'reinforcement-learning',
    name: 'Reinforcement learning',
    description: 'Policies, rewards and agents that learn by acting, from theory to RLHF.',
    interests: [
      'reinforcement learning',
      'RLHF OR RLVR OR "preference optimization"',
      'policy gradient',
      'offline RL',
      'reward model',
      'multi-agent reinforcement learning',
      'category:cs.LG AND (q-learning OR actor-critic)',
    ],
  },
  {
    slug: 'llm-reasoning',
    name: 'LLM reasoning',
    description: 'Chain of thought, test-time compute, math and code reasoning in language models.',
    interests: [
      'reasoning AND (llm OR "language model" OR "language models")',
      'chain of thought',
      'test-time scaling OR test-time compute',
      'mathematical reasoning',
      'process reward model',
      'self-consistency OR self-verification OR self-reflection',
    ],
  },
  {
    slug: 'diffusion-generative',
    name: 'Diffusion & generative models',
    description: 'Diffusion, flow matching and other generative models of images, video and audio.',
    interests: [
      'diffusion model',
      'flow matching',
      '(diffusion OR flow) AND video',
      'text-to-image OR text-to-video',
      'score-based generative',
      'generative adversarial network',
    ],
  },
  {
    slug: 'computer-vision',
    name: 'Computer vision',
    description: 'Seeing machines: detection, segmentation, 3D, video understanding, VLMs.',
    interests: [
      'category:cs.CV',
      'object detection',
      'semantic segmentation OR instance segmentation',
      'vision-language model',
      'gaussian splatting OR neural radiance field',
      'video understanding',
    ],
  },
  {
    slug: 'robotics',
    name: 'Robotics',
    description: 'Embodied agents, manipulation, locomotion and vision-language-action models.',
    interests: [
      'category:cs.RO',
      'robot* AND (manipulation OR locomotion OR grasping)',
      'vision-language-action',
      'embodied agent OR embodied AI',
      'sim-to-real',
    ],
  },
  {
    slug: 'ml-theory',
    name: 'ML theory',
    description: 'Generalisation, optimisation, learning theory and statistics of learning.',
    interests: [
      'category:stat.ML',
      'generalization bound',
      'sample complexity',
      'convergence AND (gradient OR optimization OR optimisation)',
      'PAC learning OR "learning theory"',
      'scaling law',
    ],
  },
  {
    slug: 'privacy-security',
    name: 'Privacy & security',
    description: 'Differential privacy, attacks on models, federated learning and watermarking.',
    interests: [
      'category:cs.CR',
      'differential privacy',
      'membership inference',
      'adversarial attack* OR adversarial example*',
      'federated learning',
      'watermark*',
      'prompt injection',
    ],
  },
]
