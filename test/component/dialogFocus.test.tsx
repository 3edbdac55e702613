import * as React from "react";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Button, Dialog, DialogBody, DialogSurface, DialogTitle, FluentProvider, webLightTheme } from "@fluentui/react-components";
import { useDialogFocus } from "../../TeamsChatPanel/app/useDialogFocus";

const Harness: React.FC = () => {
  const [open, setOpen] = React.useState(false);
  const surface = useDialogFocus(open);
  return (
    <FluentProvider theme={webLightTheme}>
      <Button onClick={() => setOpen(true)}>Open</Button>
      <Button>Behind</Button>
      <Button id="made">New row</Button>
      <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
        <DialogSurface ref={surface}>
          <DialogBody>
            <DialogTitle>Pick one</DialogTitle>
            <Button onClick={() => setOpen(false)}>Close</Button>
            <Button
              onClick={() => {
                // What creating a chat does once Graph answers: the list focuses the new row, then the dialog closes.
                setTimeout(() => {
                  document.getElementById("made")?.focus();
                  void Promise.resolve().then(() => setOpen(false));
                }, 0);
              }}
            >
              Create
            </Button>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </FluentProvider>
  );
};

describe("useDialogFocus", () => {
  it("brings focus back into an open dialog when a late focus restore lands on the page behind it", async () => {
    render(<Harness />);
    const behind = screen.getByRole("button", { name: "Behind" });
    await userEvent.click(screen.getByRole("button", { name: "Open" }));
    await screen.findByRole("dialog", { name: "Pick one" });
    // What a menu closing on a slow machine does: restores focus to its trigger long after the dialog opened.
    await act(async () => {
      await new Promise((r) => setTimeout(r, 1200));
      behind.focus();
    });
    await waitFor(() => expect(screen.getByRole("button", { name: "Close" })).toHaveFocus());
    // Still named for assistive technology, so not hidden as an inactive modal.
    expect(screen.getByRole("dialog", { name: "Pick one" })).not.toHaveAttribute("aria-hidden");
  });

  it("leaves focus alone once the dialog is closed", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole("button", { name: "Open" }));
    await userEvent.click(await screen.findByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const behind = screen.getByRole("button", { name: "Behind" });
    behind.focus();
    await new Promise((r) => setTimeout(r, 100));
    expect(behind).toHaveFocus();
  });

  it("does not pull focus back when the page takes it as the dialog closes", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole("button", { name: "Open" }));
    await new Promise((r) => setTimeout(r, 200));
    await userEvent.click(await screen.findByRole("button", { name: "Create" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await new Promise((r) => setTimeout(r, 100));
    expect(screen.getByRole("button", { name: "New row" })).toHaveFocus();
  });
});
