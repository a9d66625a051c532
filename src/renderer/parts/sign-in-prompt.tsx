import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CutoverApi } from '../../shared/app-api.js';

type Prompt = { url: string; userCode: string | null };

/**
 * While a check runs, Microsoft 365 may ask the person to allow one more permission (reading the
 * domain, sending a test sign-in): the page says where to go, in its own words.
 */
export function SignInPrompt({ api, active }: { api: CutoverApi; active: boolean }) {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'm365-sign-in') setPrompt({ url: e.url, userCode: e.userCode });
      }),
    [api],
  );
  useEffect(() => {
    if (!active) setPrompt(null);
  }, [active]);
  if (!active || !prompt) return null;
  return (
    <MessageBar intent="info" layout="multiline" role="status">
      <MessageBarBody>
        <MessageBarTitle>Microsoft 365 asks you to allow this</MessageBarTitle>
        {prompt.userCode ? (
          <>
            Open{' '}
            <Link href={prompt.url} target="_blank" rel="noreferrer">
              {prompt.url}
            </Link>{' '}
            and enter the code <strong>{prompt.userCode}</strong>, then accept.
          </>
        ) : (
          <>
            A sign-in page opened in your browser; accept there. If it did not open,{' '}
            <Link href={prompt.url} target="_blank" rel="noreferrer">
              open it here
            </Link>
            .
          </>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
