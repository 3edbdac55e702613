import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FakeServices, ME, chat } from "../support/fakes";
import { renderPanel } from "./render";

describe("First-run tour", () => {
  it("walks a first-time user through the panel once, then stays away", async () => {
    const s = new FakeServices();
    s.pages = [[chat({ others: ["Adele Vance"] })]];
    const first = renderPanel(s, { tourDone: false });
    const tour = await screen.findByTestId("tour");
    expect(within(tour).getByText("Find a chat fast")).toBeInTheDocument();
    expect(within(tour).getByText("Tip 1 of 4")).toBeInTheDocument();
    // Focus moves into the tip, and the panel behind it stays visible to assistive technology.
    await waitFor(() => expect(within(tour).getByRole("button", { name: "Next" })).toHaveFocus());
    expect(screen.getByTestId("tcp-root").closest("[aria-hidden=true]")).toBeNull();
    await userEvent.click(within(tour).getByRole("button", { name: "Next" }));
    expect(await screen.findByText("Start a chat")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("Chats in context")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(await screen.findByText("See this again")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Got it" }));
    await waitFor(() => expect(screen.queryByTestId("tour")).not.toBeInTheDocument());
    expect(s.prefsData.get(`tour.v1.${ME.systemUserId}`)).toBe("done");
    first.unmount();

    renderPanel(s, { tourDone: false });
    await screen.findByRole("button", { name: /^Adele Vance/ });
    expect(screen.queryByTestId("tour")).not.toBeInTheDocument();
  });

  it("can be skipped, and shown again from the panel menu", async () => {
    const s = new FakeServices();
    s.pages = [[chat({ others: ["Adele Vance"] })]];
    renderPanel(s, { tourDone: false });
    await userEvent.click(within(await screen.findByTestId("tour")).getByRole("button", { name: "Skip tour" }));
    await waitFor(() => expect(screen.queryByTestId("tour")).not.toBeInTheDocument());
    await userEvent.click(screen.getByRole("button", { name: "More options" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Show the tour" }));
    expect(await screen.findByTestId("tour")).toBeInTheDocument();
  });
});
