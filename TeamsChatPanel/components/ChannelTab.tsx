import * as React from "react";
import { PeopleTeamRegular } from "@fluentui/react-icons";
import { useStrings } from "../app/strings";
import { StateMessage } from "./StateMessage";

/** The Channel tab: linked channels arrive with the channels feature; until then it says what it will hold. */
export const ChannelTab: React.FC = () => {
  const { t } = useStrings();
  return <StateMessage icon={<PeopleTeamRegular />} title={t("Channels_Empty_Title")} body={t("Channels_Empty_Body")} testId="channels-empty" />;
};
