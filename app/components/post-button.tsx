import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

interface PostButtonProps {
  /** Where the form posts. */
  action: string;
  className: string;
  /** What the button says while the request is on its way (with JavaScript). */
  pendingLabel: string;
  /** Hidden fields sent along. */
  fields?: Record<string, string | undefined>;
  children: ReactNode;
}

/**
 * A single-button form that changes state: a plain POST, so it works without JavaScript;
 * with JavaScript it is disabled and says what is happening until the answer arrives.
 */
export function PostButton({ action, className, pendingLabel, fields = {}, children }: PostButtonProps) {
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" && navigation.formAction === action;
  return (
    <Form method="post" action={action}>
      {Object.entries(fields).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      <button type="submit" className={className} disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : children}
      </button>
    </Form>
  );
}
