import { useEffect, useRef } from 'react';

/**
 * The page of one screen: its heading, its prompt, its content. The heading
 * takes focus when the screen appears so a screen reader announces it and Tab
 * starts from the top of the new screen.
 */
export function ScreenFrame({
  screen,
  title,
  prompt,
  busy = false,
  alert = false,
  children,
}: {
  screen: string;
  title: string;
  prompt?: string;
  busy?: boolean;
  alert?: boolean;
  children?: React.ReactNode;
}): React.JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [screen]);
  return (
    <main className={`screen screen-${screen}`} aria-labelledby="screen-title" aria-busy={busy || undefined}>
      <div role={alert ? 'alert' : undefined} className="screen-head">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {prompt && <p className="prompt">{prompt}</p>}
      </div>
      {children}
    </main>
  );
}
