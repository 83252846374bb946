/** One choice of a Select; a bare string is its own label. */
export type Choice = string | { readonly value: string | number; readonly label: string };

/** The `<option>`s of a Select, so every picker lists its choices the same way. */
export function ChoiceOptions({ choices }: { choices: readonly Choice[] }) {
  return (
    <>
      {choices.map((choice) => {
        const { value, label } = typeof choice === 'string' ? { value: choice, label: choice } : choice;
        return (
          <option key={value} value={value}>
            {label}
          </option>
        );
      })}
    </>
  );
}
