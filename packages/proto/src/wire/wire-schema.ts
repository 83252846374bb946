/**
 * The shape of the generated wire schema (src/generated/orbit-wire-schema.ts): for each message its
 * fields as `[camelCase name, field number, type, repeated (1) or not (0), oneof name or '']`, where
 * type is a scalar name, `message:<Name>` or `enum:<Name>`; for each enum its value names by number.
 */
export type WireField = readonly [name: string, number: number, type: string, repeated: 0 | 1, oneof: string];

export interface WireSchema {
  readonly messages: Readonly<Record<string, readonly WireField[]>>;
  readonly enums: Readonly<Record<string, readonly string[]>>;
}
