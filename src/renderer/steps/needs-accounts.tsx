import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { Session } from '../session.js';

/** The step to go to for the password this session lacks. */
export function passwordStep(session: Session): 'old-mailbox' | 'microsoft-365' {
  return session.source() ? 'microsoft-365' : 'old-mailbox';
}

/**
 * Shown when a step needs passwords that this session does not have (they are never stored). A
 * step whose footer already offers the way there passes `button={false}` (one primary per screen).
 */
export function NeedsAccounts({ session, button = true }: { session: Session; button?: boolean }) {
  const missing = session.source() ? 'the new mailbox' : 'the old mailbox';
  return (
    <div role="alert">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>This step needs both mailboxes and their passwords (Cutover never stores passwords). Enter the password of {missing} again first.</MessageBarBody>
        {button && (
          <MessageBarActions>
            <Button appearance="primary" onClick={() => session.go(passwordStep(session))}>
              Enter them
            </Button>
          </MessageBarActions>
        )}
      </MessageBar>
    </div>
  );
}
