import * as React from "react";
import { IInputs, IOutputs } from "./generated/ManifestTypes";

export class TeamsChatPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  public init(): void {
    // filled in below
  }
  public updateView(): React.ReactElement {
    return React.createElement("div", null, "TeamsChatPanel");
  }
  public getOutputs(): IOutputs {
    return {};
  }
  public destroy(): void {
    // nothing yet
  }
}
