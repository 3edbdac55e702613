import * as React from "react";
import { Badge, Menu, MenuItemRadio, MenuList, MenuPopover, MenuTrigger, ToolbarButton, Tooltip } from "@fluentui/react-components";
import { AlertUrgentRegular, ImportantRegular } from "@fluentui/react-icons";
import { useStrings } from "../../app/strings";
import type { Importance } from "../../domain/messages";

export interface DeliveryMenuProps {
  value: Importance;
  disabled?: boolean;
  onChange(value: Importance): void;
  /** Called after the menu closed, to put the caret back in the box. */
  onClosed(): void;
}

const OPTIONS: Array<{ value: Importance; label: string; hint?: string }> = [
  { value: "normal", label: "Composer_DeliveryStandard" },
  { value: "high", label: "Composer_DeliveryImportant" },
  { value: "urgent", label: "Composer_DeliveryUrgent", hint: "Composer_DeliveryUrgentHint" },
];

/** Standard / Important / Urgent: Graph's importance normal / high / urgent. */
export const DeliveryMenu: React.FC<DeliveryMenuProps> = ({ value, disabled, onChange, onClosed }) => {
  const { t } = useStrings();
  return (
    <Menu
      checkedValues={{ importance: [value] }}
      onCheckedValueChange={(_, d) => d.checkedItems[0] && onChange(d.checkedItems[0] as Importance)}
      onOpenChange={(_, d) => !d.open && onClosed()}
    >
      <MenuTrigger disableButtonEnhancement>
        <Tooltip content={t("Composer_Delivery")} relationship="label">
          <ToolbarButton appearance="subtle" disabled={disabled} icon={<ImportantRegular />} />
        </Tooltip>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {OPTIONS.map((o) => (
            <MenuItemRadio key={o.value} name="importance" value={o.value} subText={o.hint ? t(o.hint) : undefined}>
              {t(o.label)}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
};

/** The chosen delivery option, shown by the box until the message is sent. */
export const ImportanceBadge: React.FC<{ value: Importance; className?: string }> = ({ value, className }) => {
  const { t } = useStrings();
  if (value === "normal") return null;
  const urgent = value === "urgent";
  return (
    <Badge className={className} appearance="tint" color={urgent ? "danger" : "important"} icon={urgent ? <AlertUrgentRegular /> : <ImportantRegular />}>
      {urgent ? t("Composer_BadgeUrgent") : t("Composer_BadgeImportant")}
    </Badge>
  );
};
