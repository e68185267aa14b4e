/** Names a licence text may hold as `{{name}}` until they are known: the parties, the dataset, the purpose, the validity. */
export type PlaceholderValues = Partial<Record<'licensor' | 'licensee' | 'dataset' | 'purpose' | 'validity', string>>;

/** Fills `{{licensor}}`-style placeholders; one without a value stays as written, so a missing name shows instead of vanishing. */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? (values[key as keyof PlaceholderValues] ?? whole) : whole));
}
