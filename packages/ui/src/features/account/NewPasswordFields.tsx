/** A new password typed twice (accepting an invitation, changing one's password), checked on submit. */
import { useState } from 'react';
import { FieldError, TextField } from '../../components/FormControls.tsx';
import { MIN_PASSWORD_CHARS, passwordProblem } from './account-forms.ts';

/** The two values and the problem found in them. */
export interface NewPassword {
  password: string;
  confirmation: string;
  problem: string | undefined;
  setPassword: (value: string) => void;
  setConfirmation: (value: string) => void;
  /** Checks the two values, showing the problem; true when there is none. */
  check: () => boolean;
}

/** The state of {@link NewPasswordFields}; typing clears the problem shown. */
export function useNewPassword(): NewPassword {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  return {
    password,
    confirmation,
    problem,
    setPassword: (value) => {
      setPassword(value);
      setProblem(undefined);
    },
    setConfirmation: (value) => {
      setConfirmation(value);
      setProblem(undefined);
    },
    check: () => {
      const found = passwordProblem(password, confirmation);
      setProblem(found);
      return found === undefined;
    },
  };
}

/** The fields "<label> (at least 12 characters)" (`name`) and "<label> again" (`confirmation`), and the problem. */
export function NewPasswordFields({
  state,
  label,
  name,
}: {
  state: NewPassword;
  label: string;
  name: string;
}) {
  return (
    <>
      <TextField
        label={`${label} (at least ${MIN_PASSWORD_CHARS} characters)`}
        type="password"
        name={name}
        autoComplete="new-password"
        required
        value={state.password}
        onValue={state.setPassword}
      />
      <TextField
        label={`${label} again`}
        type="password"
        name="confirmation"
        autoComplete="new-password"
        required
        value={state.confirmation}
        onValue={state.setConfirmation}
      />
      {state.problem && <FieldError>{state.problem}</FieldError>}
    </>
  );
}
