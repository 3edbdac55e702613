import { DataverseLinkStore, linkFilter, toLink } from "../../../TeamsChatPanel/services/dataverse/linkStore";
import { ServiceError } from "../../../TeamsChatPanel/services/errors";

const rec = { table: "incident", id: "{AAAAAAAA-0000-0000-0000-000000000001}" };

function fakeWebApi(handler: (table: string, options: string) => { entities: Record<string, unknown>[]; nextLink?: string }) {
  const calls: Array<{ table: string; options: string }> = [];
  const api = {
    retrieveMultipleRecords: async (table: string, options: string) => {
      calls.push({ table, options });
      return handler(table, options);
    },
  } as unknown as ComponentFramework.WebApi;
  return { api, calls };
}

describe("link store", () => {
  it("builds one filter for the record's links and the listed chats, escaping quotes", () => {
    expect(linkFilter({ record: rec, chatIds: ["19:a@thread.v2", "19:it's@thread.v2"] })).toBe(
      "(tcp_regardingtable eq 'incident' and tcp_regardingid eq 'aaaaaaaa-0000-0000-0000-000000000001') or Microsoft.Dynamics.CRM.In(PropertyName='tcp_chatid',PropertyValues=['19:a@thread.v2','19:it''s@thread.v2'])",
    );
    expect(linkFilter({ chatIds: [] })).toBeNull();
  });

  it("fetches the links of 50 chats and the record in a single query", async () => {
    const { api, calls } = fakeWebApi(() => ({ entities: [] }));
    await new DataverseLinkStore(api).linksFor({ record: rec, chatIds: Array.from({ length: 50 }, (_, i) => `19:c${i}@thread.v2`) });
    expect(calls).toHaveLength(1);
    expect(calls[0].table).toBe("tcp_chatlink");
    expect(calls[0].options).toMatch(/^\?\$select=tcp_chatlinkid,tcp_kind,tcp_chatid,/);
  });

  it("follows nextLink pages", async () => {
    const { api, calls } = fakeWebApi((_t, options) =>
      options.includes("skiptoken")
        ? { entities: [{ tcp_chatlinkid: "2", tcp_chatid: "c2", tcp_regardingtable: "account", tcp_regardingid: "B" }] }
        : { entities: [{ tcp_chatlinkid: "1", tcp_chatid: "c1", tcp_regardingtable: "Incident", tcp_regardingid: "{A}" }], nextLink: "https://org/api/data/v9.2/tcp_chatlinks?$skiptoken=x" },
    );
    const links = await new DataverseLinkStore(api).linksFor({ chatIds: ["c1", "c2"] });
    expect(calls).toHaveLength(2);
    expect(links.map((l) => [l.chatId, l.record.table, l.record.id])).toEqual([
      ["c1", "incident", "a"],
      ["c2", "account", "b"],
    ]);
  });

  it("maps the platform's error response to a ServiceError kind", async () => {
    const api = { retrieveMultipleRecords: async () => Promise.reject({ errorCode: 0x80040220, message: "Principal user is missing prvReadtcp_chatlink privilege" }) } as unknown as ComponentFramework.WebApi;
    const err = await new DataverseLinkStore(api).linksFor({ chatIds: ["c1"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).kind).toBe("forbidden");
  });

  it("maps channel rows", () => {
    expect(toLink({ tcp_chatlinkid: "1", tcp_kind: 100000001, tcp_chatid: "19:ch@thread.tacv2", tcp_teamid: "t1", tcp_regardingtable: "account", tcp_regardingid: "x" })).toMatchObject({ kind: "channel", teamId: "t1" });
  });
});

describe("link writes", () => {
  const record = { table: "incident", id: "{AAAAAAAA-0000-0000-0000-000000000001}" };

  it("writes a non-secret label and the normalised record, never the chat's topic", async () => {
    const created: Array<Record<string, unknown>> = [];
    const api = {
      createRecord: async (_t: string, row: Record<string, unknown>) => {
        created.push(row);
        return { id: "{11111111-2222-3333-4444-555555555555}", entityType: "tcp_chatlink" };
      },
    } as unknown as ComponentFramework.WebApi;
    const link = await new DataverseLinkStore(api).createLink("19:abc@thread.v2", record);
    expect(created).toEqual([{ tcp_name: "incident:aaaaaaaa-0000-0000-0000-000000000001", tcp_kind: 100000000, tcp_chatid: "19:abc@thread.v2", tcp_regardingtable: "incident", tcp_regardingid: "aaaaaaaa-0000-0000-0000-000000000001" }]);
    expect(link.id).toBe("11111111-2222-3333-4444-555555555555");
  });

  it("treats Dataverse's duplicate-key refusal as success and returns the existing row", async () => {
    const api = {
      createRecord: async () => Promise.reject({ errorCode: 0x80060892, message: "A record that has the attribute values ... already exists." }),
      retrieveMultipleRecords: async () => ({ entities: [{ tcp_chatlinkid: "existing", tcp_chatid: "19:abc@thread.v2", tcp_regardingtable: "incident", tcp_regardingid: "aaaaaaaa-0000-0000-0000-000000000001" }] }),
    } as unknown as ComponentFramework.WebApi;
    const link = await new DataverseLinkStore(api).createLink("19:abc@thread.v2", record);
    expect(link.id).toBe("existing");
  });

  it("passes other refusals on, and treats an already deleted link as unlinked", async () => {
    const api = {
      createRecord: async () => Promise.reject({ errorCode: 0x80040220, message: "SecLib::AccessCheckEx failed" }),
      deleteRecord: async () => Promise.reject({ errorCode: 0x80040217, message: "Does Not Exist" }),
    } as unknown as ComponentFramework.WebApi;
    const store = new DataverseLinkStore(api);
    await expect(store.createLink("19:abc@thread.v2", record)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(store.deleteLink("gone")).resolves.toBeUndefined();
  });
});
