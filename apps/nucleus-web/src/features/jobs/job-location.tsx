/** `star:/path`, or the path with a muted "no Star" note while the job has no Star assigned. */
export function JobLocation({ star, path }: { star: string | null | undefined; path: string }) {
  return (
    <span className="font-mono text-xs">
      {star ? (
        <span className="text-muted-foreground">{star}:</span>
      ) : (
        <span className="mr-1.5 font-sans text-muted-foreground italic">no Star</span>
      )}
      {path}
    </span>
  );
}
