/**
 * The small part of bpmn-moddle 10 that Pandu uses. The package ships generated types only under
 * `bpmn-moddle/types`, not for its main entry, so the entry is declared here. Elements are kept loose
 * (`unknown` properties): the importer reads untrusted files and checks every value it takes.
 */
declare module 'bpmn-moddle' {
  /** A model element: its typed properties are plain fields (`task.name`, `flow.sourceRef`). */
  export interface ModdleElement {
    readonly $type: string;
    readonly $parent?: ModdleElement;
    /** Attributes of namespaces moddle does not know, e.g. `{ 'xmlns:camunda': '…' }`. */
    readonly $attrs?: Record<string, string>;
    id?: string;
    [property: string]: unknown;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    $instanceOf(type: string): boolean;
  }

  export interface ParseWarning {
    readonly message: string;
    readonly element?: ModdleElement;
    readonly property?: string;
    readonly value?: unknown;
    readonly error?: Error;
  }

  export interface FromXmlResult {
    readonly rootElement: ModdleElement;
    readonly references: readonly unknown[];
    readonly warnings: readonly ParseWarning[];
    readonly elementsById: Readonly<Record<string, ModdleElement>>;
  }

  export class BpmnModdle {
    /** `packages`: extra moddle package descriptors by prefix, e.g. `{ pandu: descriptor }`. */
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<FromXmlResult>;
    toXML(element: ModdleElement, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
  }
}
