/** How a column's cells are shown in a spreadsheet. */
export type ColumnKind = "text" | "integer" | "decimal" | "percent"

/** A column of an exported table. */
export interface TableColumn {
  readonly header: string
  readonly kind?: ColumnKind | undefined
  /** Width in characters in a spreadsheet (a guess from the header and the cells when absent). */
  readonly width?: number | undefined
}

/** A cell: text or a number (`null` for an empty cell). */
export type TableCell = string | number | null

/** A table to export: a sheet of a workbook, or one CSV file. */
export interface Table {
  /** The sheet name (at most 31 characters in XLSX; `\ / ? * [ ] :` are replaced). */
  readonly name: string
  readonly columns: ReadonlyArray<TableColumn>
  readonly rows: ReadonlyArray<ReadonlyArray<TableCell>>
}
