/** `star:/path` or just the path for the Nucleus-local side; one rendering for lists, detail and review. */
export function JobLocation({ star, path }: { star: string | null | undefined; path: string }) {
  return (
    <span className="font-mono text-xs">
      {star ? <span className="text-muted-foreground">{star}:</span> : null}
      {path}
    </span>
  );
}
