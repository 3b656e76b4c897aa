import { useEffect, useRef } from 'react';
import type { Language } from '../../../main/ipc-contract/intents.js';

/**
 * Speaks the screen's prompt in the customer's language when headphones are
 * plugged in. The audio was made offline at build time (renderer/voice/), so
 * the kiosk needs no speech engine and the CSP needs only media-src 'self'.
 */
export function VoicePrompt({ prompt, language, on }: { prompt: string; language: Language; on: boolean }): React.JSX.Element {
  const audio = useRef<HTMLAudioElement>(null);
  const src = `voice/${language}/${prompt}.wav`;
  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    if (!on) {
      element.pause();
      return;
    }
    element.src = src;
    // Autoplay is allowed in the kiosk (no user gesture needed); a failure only loses the prompt.
    element.play().catch(() => undefined);
  }, [src, on]);
  return <audio ref={audio} className="voice" data-voice={on ? src : undefined} preload="none" />;
}
