/** Text in the languages the UI offers. Swedish is the default. */
export type Language = "sv" | "en";
export const LANGUAGES: readonly Language[] = ["sv", "en"];
export type LocalizedText = Record<Language, string>;
