import * as React from "react";
import { BuildingRegular, DocumentRegular, PersonRegular, WrenchRegular } from "@fluentui/react-icons";

/** A recognisable icon for the table a chat is linked to. */
export function TableIcon({ table }: { table: string }): React.ReactElement {
  switch (table) {
    case "incident":
      return <WrenchRegular aria-hidden="true" />;
    case "account":
      return <BuildingRegular aria-hidden="true" />;
    case "contact":
      return <PersonRegular aria-hidden="true" />;
    default:
      return <DocumentRegular aria-hidden="true" />;
  }
}
