import * as React from "react";
import { fillPlaceholders } from "../domain/format";

export type Translate = (key: string, ...args: Array<string | number>) => string;

export interface StringsValue {
  t: Translate;
  locale: string;
}

/** Wraps context.resources.getString: {0} placeholders, and the key itself when a string is missing (visible in review, never blank). */
export function makeTranslate(getString: (key: string) => string): Translate {
  return (key, ...args) => {
    const raw = getString(key);
    const template = raw && raw !== key ? raw : key;
    return args.length ? fillPlaceholders(template, ...args) : template;
  };
}

const StringsContext = React.createContext<StringsValue>({ t: (k) => k, locale: "en-US" });

export const StringsProvider: React.FC<{ value: StringsValue }> = ({ value, children }) => <StringsContext.Provider value={value}>{children}</StringsContext.Provider>;

export function useStrings(): StringsValue {
  return React.useContext(StringsContext);
}
