import type { ResolvedConfig } from "../config/schema.js";
import type { AppController } from "../pipeline/app.js";
import type { VoiceInput } from "../pipeline/voice-in.js";
import { VoiceRouter, type ChildTarget } from "../pipeline/voice-router.js";
import { closeVoiceIn, startListening, type VoiceInParts } from "./listen.js";
import type { SpeechOut } from "./speech.js";

export interface TuiVoice {
  router: VoiceRouter;
  voice: VoiceInput | undefined;
  stop(): Promise<void>;
}

/**
 * Connect voice to the TUI: the router's commands act on the app (scroll, new chat, quit, mute,
 * dictation into the input line), and the microphone state shows in the status bar.
 */
export function attachVoice(
  app: AppController,
  config: ResolvedConfig,
  parts: VoiceInParts | undefined,
  speech: SpeechOut,
  options: { child?: ChildTarget } = {},
): TuiVoice {
  let voice: VoiceInput | undefined;
  const router = new VoiceRouter({
    session: app.session,
    enabled: config.commands.enabled,
    wakePhrase: config.commands.wakePhrase,
    phrases: config.commands.phrases,
    ...(options.child ? { child: options.child } : {}),
    host: {
      scrollBy: (n) => app.scrollBy(n),
      newChat: () => app.newChat(),
      quit: () => app.quit(),
      setMuted: (muted) => {
        voice?.setMuted(muted);
        if (voice) app.patch({ mic: muted ? "muted" : "on" });
      },
      // With a wrapped program, dictation is typed straight into it: mirroring it in roleplay's
      // input line would send it a second time (to the character) on Enter.
      onDraft: (text) => {
        if (!options.child) app.patch({ draft: text });
      },
      onModeChange: (mode) => app.patch({ mode }),
    },
  });
  if (parts) {
    voice = startListening(parts, app.session, config, {
      route: (u) => router.handle(u),
      onRecordingChange: (recording) => app.patch({ recording }),
      isPlaying: () => (speech.sink?.pendingMs ?? 0) > 0,
      onEnd: (error) => {
        app.patch({ mic: "unavailable" });
        app.session.setIdleState("idle");
        app.session.emit({
          type: "notice",
          level: "warn",
          message: error ? `${(error as Error).message}; text mode` : "audio input ended; text mode",
        });
      },
    });
    app.patch({ mic: "on", inputMode: config.audio.mode });
  } else {
    app.patch({ mic: "unavailable" });
  }
  return {
    router,
    voice,
    async stop() {
      await closeVoiceIn(parts, voice);
    },
  };
}
