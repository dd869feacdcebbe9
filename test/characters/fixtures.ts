/** Cards used by the character tests. */
export function v2Card(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: {
      name: "Captain Mira",
      description: "{{char}} commands the airship Kestrel and trusts {{user}} with the helm.",
      personality: "bold, loyal",
      scenario: "A storm over the Shattered Coast.",
      first_mes: "Welcome aboard, {{user}}! I'm {{char}}.",
      mes_example: "<START>\n{{user}}: Where are we?\n{{char}}: Over the coast, <USER>.",
      creator_notes: "Test card",
      system_prompt: "{{original}} Speak like a sky captain.",
      post_history_instructions: "Stay in {{char}}'s voice.",
      alternate_greetings: ["Hold on tight, {{user}}!", "Storm's coming."],
      character_book: {
        name: "Kestrel lore",
        scan_depth: 3,
        token_budget: 200,
        entries: [
          { keys: ["Kestrel"], content: "The Kestrel is a three-masted airship.", enabled: true, insertion_order: 1 },
          {
            keys: ["storm"],
            content: "Storms here last days.",
            enabled: true,
            insertion_order: 0,
            case_sensitive: true,
          },
        ],
        extensions: {},
      },
      tags: ["adventure", "sky"],
      creator: "tester",
      character_version: "1.2",
      extensions: { depth_prompt: { depth: 4, prompt: "" } },
      ...overrides,
    },
  };
}

export const v1Card = {
  name: "Old Tom",
  description: "{{char}} is a lighthouse keeper.",
  personality: "gruff",
  scenario: "A foggy night.",
  first_mes: "Who goes there? Ah, it's <USER>.",
  mes_example: "<START>\n<USER>: Hello\n<BOT>: Mind the stairs.",
};
