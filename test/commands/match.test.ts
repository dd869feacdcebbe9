import { describe, expect, it } from "vitest";
import {
  activeCommands,
  COMMAND_NAMES,
  DEFAULT_PHRASES,
  describeCommands,
  matchCommand,
  resolvePhrases,
  type CommandName,
} from "../../src/commands/index.js";

const withChild = activeCommands({ child: true });

/** Utterances as whisper writes them, and the command each must give (with a child present). */
const MATCHES: Array<[string, CommandName]> = [
  ["send", "send"],
  ["Send.", "send"],
  ["send!", "send"],
  ["SEND", "send"],
  [" Send. ", "send"],
  ["Send, please.", "send"],
  ["Please send.", "send"],
  ["Please, send it.", "send"],
  ["Okay, send it now.", "send"],
  ["Um, send.", "send"],
  ["Send it, thank you.", "send"],
  ["Send that.", "send"],
  ["Submit.", "send"],
  ["Send… send it!", "send"],
  ["“Send.”", "send"],
  ["¡Send!", "send"],
  ["Press Enter.", "send"],
  ["Clear.", "clear"],
  ["Clear it.", "clear"],
  ["Clear the draft.", "clear"],
  ["Stop.", "stop"],
  ["Stop!", "stop"],
  ["Stop, stop, stop!", "stop"],
  ["Quiet.", "stop"],
  ["Be quiet!", "stop"],
  ["Shut up.", "stop"],
  ["Stop talking.", "stop"],
  ["That's enough.", "stop"],
  ["That’s enough.", "stop"],
  ["Repeat.", "repeat"],
  ["Say that again?", "repeat"],
  ["Repeat that, please.", "repeat"],
  ["Scroll up.", "scroll-up"],
  ["Scroll-up.", "scroll-up"],
  ["Scroll down.", "scroll-down"],
  ["Page down", "scroll-down"],
  ["New chat.", "new-chat"],
  ["New conversation.", "new-chat"],
  ["Start over.", "new-chat"],
  ["Mute.", "mute"],
  ["Mute the microphone.", "mute"],
  ["Unmute.", "unmute"],
  ["Un-mute.", "unmute"],
  ["New-chat!", "new-chat"],
  ["Microphone on.", "unmute"],
  ["Dictation mode.", "dictation-mode"],
  ["Dictation mode, please.", "dictation-mode"],
  ["Conversation mode.", "conversation-mode"],
  ["Stop dictation.", "conversation-mode"],
  ["Quit roleplay.", "exit"],
  ["Exit roleplay!", "exit"],
  ["Close roleplay.", "exit"],
  ["Exit the app.", "exit"],
  ["Quit role-play.", "exit"],
  ["Goodbye, roleplay.", "exit"],
  ["Dictation on.", "dictation-mode"],
  ["Start dictation.", "dictation-mode"],
  ["Switch to conversation mode.", "conversation-mode"],
  ["Hit enter.", "send"],
  ["Scratch that.", "scratch-that"],
  ["Delete that.", "scratch-that"],
  ["Undo that.", "scratch-that"],
  ["Restart.", "restart"],
  ["Yes.", "yes"],
  ["Yeah.", "yes"],
  ["No.", "no"],
  ["No, no.", "no"],
  ["Escape.", "escape"],
  ["Up.", "up"],
  ["Down.", "down"],
  ["Arrow down.", "down"],
  ["Tab.", "tab"],
  ["Interrupt.", "interrupt"],
  ["Control-C.", "interrupt"],
  ["Ctrl+C", "interrupt"],
];

/** Sentences that contain command words but are not commands. */
const NOT_COMMANDS: string[] = [
  "send me a poem",
  "Send me a poem.",
  "Can you send it to my mother?",
  "stop the car and think",
  "Stop the car and think.",
  "clear the table for dinner",
  "Clear the table for dinner.",
  "I want to repeat that experiment.",
  "Could you, um, repeat that",
  "Tell me about the new chat feature.",
  "Mute swans are beautiful.",
  "Exit through the gift shop.",
  "Yes, and then what happened?",
  "No way!",
  "Up the hill we go.",
  "Go down to the river.",
  "Tab characters are evil.",
  "Please don't stop.",
  "Stop it, you're making me laugh so hard.",
  "Quiet places are nice.",
  "Scratch that itch.",
  "Goodbye.",
  // One-word answers that once were commands.
  "Conversation.",
  "Dictation.",
  "Dictation, please.",
  "Dictate.",
  "Exit.",
  "Quit.",
  "Okay, quit.",
  "Well, exit.",
  "Enough.",
  "Enter.",
  // Exit is matched only as said: fillers do not make one.
  "Okay, quit roleplay.",
  "Well, exit roleplay, please.",
  "Go ahead.",
  "Okay.",
  "Um.",
  "Thank you.",
  "",
  "   ",
  "...",
  "[BLANK_AUDIO]",
];

describe("matchCommand: the table", () => {
  it.each(MATCHES)("%j → %s", (utterance, expected) => {
    const m = matchCommand(utterance, { active: withChild });
    expect(m.command).toBe(expected);
    expect(m.wake).toBe("none");
    expect(m.count).toBeGreaterThan(0);
  });

  it.each(NOT_COMMANDS)("%j is not a command", (utterance) => {
    const m = matchCommand(utterance, { active: withChild });
    expect(m.command).toBeNull();
    expect(m.count).toBe(0);
    expect(m.text).toBe(utterance.trim());
  });

  it("every default phrase matches its own command (with a child)", () => {
    for (const name of COMMAND_NAMES) {
      for (const phrase of DEFAULT_PHRASES[name]) {
        expect(matchCommand(`${phrase}.`, { active: withChild }).command, phrase).toBe(name);
      }
    }
  });

  it("no default phrase belongs to two commands", () => {
    const seen = new Map<string, CommandName>();
    for (const name of COMMAND_NAMES) {
      for (const phrase of DEFAULT_PHRASES[name]) {
        const key = phrase.toLowerCase().replace(/['’]/g, "");
        expect(seen.get(key), `${phrase} in ${name}`).toBeUndefined();
        seen.set(key, name);
      }
    }
  });

  it("counts repetitions", () => {
    expect(matchCommand("Down, down, down.", { active: withChild }).count).toBe(3);
    expect(matchCommand("Send it.", { active: withChild }).count).toBe(1);
  });
});

describe("matchCommand: active commands", () => {
  it("child commands are inactive without a child", () => {
    for (const u of ["Yes.", "No.", "Up.", "Escape.", "Tab.", "Interrupt.", "Restart."]) {
      expect(matchCommand(u).command, u).toBeNull();
      expect(matchCommand(u, { active: activeCommands({ child: false }) }).command, u).toBeNull();
    }
    expect(matchCommand("Send.").command).toBe("send");
  });

  it("only the given set is active", () => {
    expect(matchCommand("Stop.", { active: new Set<CommandName>(["send"]) }).command).toBeNull();
    expect(matchCommand("Send.", { active: new Set<CommandName>(["send"]) }).command).toBe("send");
  });
});

describe("matchCommand: wake phrase", () => {
  const wakePhrase = "hey roleplay";

  it("acts only on utterances that begin with it", () => {
    expect(matchCommand("hey roleplay send", { wakePhrase })).toEqual({
      command: "send",
      wake: "matched",
      text: "send",
      count: 1,
    });
    expect(matchCommand("Hey, Roleplay! Send it.", { wakePhrase }).command).toBe("send");
    expect(matchCommand("Hey role play, stop.", { wakePhrase }).command).toBe("stop");
    expect(matchCommand("Okay, hey roleplay, clear.", { wakePhrase }).command).toBe("clear");
    expect(matchCommand("send", { wakePhrase })).toEqual({ command: null, wake: "missing", text: "send", count: 0 });
    expect(matchCommand("Tell me a story.", { wakePhrase }).wake).toBe("missing");
    expect(matchCommand("Hey there roleplay, send", { wakePhrase }).wake).toBe("missing");
  });

  it("gives the rest of the utterance as text", () => {
    expect(matchCommand("hey roleplay tell me a story", { wakePhrase })).toEqual({
      command: null,
      wake: "matched",
      text: "tell me a story",
      count: 0,
    });
    expect(matchCommand("Hey Roleplay, tell me a story.", { wakePhrase }).text).toBe("tell me a story.");
    expect(matchCommand("Hey roleplay.", { wakePhrase })).toEqual({
      command: null,
      wake: "matched",
      text: "",
      count: 0,
    });
  });

  it("is off when empty or null", () => {
    expect(matchCommand("send", { wakePhrase: null }).wake).toBe("none");
    expect(matchCommand("send", { wakePhrase: " " }).wake).toBe("none");
  });
});

describe("matchCommand: other languages and custom phrases", () => {
  const phrases = resolvePhrases({
    send: ["envoyer", "envoie", "envoie-le", "senden", "schick es ab", "envíalo", "发送"],
    stop: ["arrête", "tais-toi", "stopp", "ruhe"],
    "scratch-that": ["efface ça"],
    clear: ["löschen"],
  });
  const fillers = ["s'il te plaît", "bitte", "por favor", "euh"];

  it.each<[string, CommandName]>([
    ["Envoie !", "send"],
    ["ENVOIE-LE.", "send"],
    ["Envoie, s'il te plaît.", "send"],
    ["Envoie, s’il te plaît.", "send"],
    ["Senden.", "send"],
    ["Schick es ab!", "send"],
    ["¡Envíalo, por favor!", "send"],
    ["Envi\u0301alo.", "send"], // decomposed accent (NFD) compares equal to the NFC phrase
    ["发送。", "send"],
    ["Arrête !", "stop"],
    ["ARRÊTE", "stop"],
    ["Tais-toi.", "stop"],
    ["Ruhe, bitte!", "stop"],
    ["Efface ça.", "scratch-that"],
    ["LÖSCHEN!", "clear"],
    ["Send.", "send"], // defaults are kept when merging
  ])("%j → %s", (utterance, expected) => {
    expect(matchCommand(utterance, { phrases, fillers: [...fillers, "please"] }).command).toBe(expected);
  });

  it.each(["Envoie-moi un poème.", "Arrête la voiture.", "Efface ça et recommence ensuite.", "Senden Sie mir das."])(
    "%j is not a command",
    (utterance) => {
      expect(matchCommand(utterance, { phrases, fillers }).command).toBeNull();
    },
  );

  it("accents are significant (NFC, case-folded, not stripped)", () => {
    const p = resolvePhrases({ stop: ["!*", "arrête"] });
    expect(matchCommand("Arrete.", { phrases: p }).command).toBeNull();
    expect(matchCommand("ARRÊTE.", { phrases: p }).command).toBe("stop");
  });

  it("folds ß and final sigma", () => {
    const p = resolvePhrases({ exit: ["schließen"], stop: ["σταμάτα"] });
    expect(matchCommand("SCHLIESSEN", { phrases: p }).command).toBe("exit");
    expect(matchCommand("ΣΤΑΜΆΤΑ", { phrases: p }).command).toBe("stop");
  });
});

describe("resolvePhrases", () => {
  it("merges over the defaults, removes with !phrase, replaces with !*", () => {
    const p = resolvePhrases({ send: ["fire away", "!submit"], stop: ["!*", "halt"] });
    expect(p.send).toContain("send");
    expect(p.send).toContain("fire away");
    expect(p.send).not.toContain("submit");
    expect(p.stop).toEqual(["halt"]);
    expect(matchCommand("Submit.", { phrases: p }).command).toBeNull();
    expect(matchCommand("Fire away!", { phrases: p }).command).toBe("send");
    expect(matchCommand("Stop.", { phrases: p }).command).toBeNull();
    expect(matchCommand("Halt!", { phrases: p }).command).toBe("stop");
  });

  it("replaceAll drops every default", () => {
    const p = resolvePhrases({ send: ["go go go"] }, { replaceAll: true });
    expect(p.send).toEqual(["go go go"]);
    expect(p.stop).toEqual([]);
    expect(matchCommand("Stop.", { phrases: p }).command).toBeNull();
  });

  it("a phrase made only of filler words still works", () => {
    const p = resolvePhrases({ yes: ["okay"] });
    expect(matchCommand("Okay.", { phrases: p, active: withChild }).command).toBe("yes");
    expect(matchCommand("Okay.", { active: withChild }).command).toBeNull();
  });
});

describe("describeCommands", () => {
  it("lists every command with phrases and a description", () => {
    const list = describeCommands();
    expect(list.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
    for (const c of list) {
      expect(c.phrases.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(0);
    }
    expect(list.find((c) => c.name === "interrupt")).toMatchObject({ target: "child", childOnly: true });
    expect(list.find((c) => c.name === "restart")).toMatchObject({ target: "app", childOnly: true });
    expect(list.find((c) => c.name === "send")).toMatchObject({ target: "app", childOnly: false });
  });

  it("shows custom phrases", () => {
    const list = describeCommands(resolvePhrases({ send: ["envoie"] }));
    expect(list.find((c) => c.name === "send")?.phrases).toContain("envoie");
  });
});
