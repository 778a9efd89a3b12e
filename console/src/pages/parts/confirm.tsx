import { useState } from 'preact/hooks';

export interface ConfirmActionProps {
  /** The button that starts it: "Deactivate". */
  readonly label: string;
  /** What the operator is asked before it happens: "Deactivate the link INV-42? Its page takes no further payment." */
  readonly question: string;
  /** The confirming button: "Yes, deactivate". */
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void>;
  readonly disabled?: boolean;
}

/**
 * A destructive action asked twice, in the page (no window.confirm, so it is styled, keyboard reachable and read
 * out): the first button shows the question with "yes" and "cancel"; "yes" runs the action once (disabled while it
 * runs, so a double click sends one request).
 */
export function ConfirmAction({ label, question, confirmLabel, onConfirm, disabled = false }: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const [running, setRunning] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="secondary" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <button
        type="button"
        class="danger"
        disabled={running}
        onClick={async () => {
          setRunning(true);
          try {
            await onConfirm();
          } finally {
            setRunning(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>{' '}
      <button type="button" class="secondary" disabled={running} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}
