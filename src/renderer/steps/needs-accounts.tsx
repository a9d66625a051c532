import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import type { Session } from '../session.js';

/** Shown when a step needs passwords that this session does not have (they are never stored). */
export function NeedsAccounts({ session }: { session: Session }) {
  const missing = session.source() ? 'the new mailbox' : 'the old mailbox';
  return (
    <div role="alert">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>This step needs both mailboxes and their passwords (Cutover never stores passwords). Enter the password of {missing} again first.</MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" onClick={() => session.go(session.source() ? 'microsoft-365' : 'old-mailbox')}>
            Enter them
          </Button>
        </MessageBarActions>
      </MessageBar>
    </div>
  );
}
