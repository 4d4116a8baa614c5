/**
 * A printable HTML page of a certificate of volunteer service records (志愿服务记录证明), from
 * `Certificate.toDocument`: the title and certificate number; the volunteer's identity (name, ID type,
 * MASKED ID number, volunteer number); the certifying statement; the service hours and content, line by
 * line with the total; the issuing organisation (name, person in charge, handler, contact) with the
 * place for its seal and the date of issue; and the publicity note (公示期).
 *
 * The renderer paginates, not the browser: every printed page is a fixed A4 block. Up to 15 service lines
 * (a line whose content wraps counts as the rows it takes) print on ONE page; more continue over pages that
 * each carry the title, the certificate number and 「第 n 页 共 m 页」, with the total row, the issuer block
 * (seal area, date) and the publicity note once, on the last page. A revoked certificate is marked 已撤销
 * across every page.
 *
 * The page is self-contained — `lang="zh-CN"`, UTF-8, inline CSS with an A4 `@page`, no scripts, images,
 * fonts or links to fetch — so it prints the same from a browser, a kiosk or a headless renderer that
 * turns it into PDF. Every text is escaped.
 *
 * @since 0.1.0
 */
import { Either } from "effect"
import { type Certificate, type CertificateDocument, toDocument } from "./Certificate.js"
import * as internal from "./internal/certificateHtml.js"
import type { InvalidTransition } from "./VolunteerErrors.js"

/**
 * Options of the page: `seal`, the text printed once where the seal goes (default `（盖章）`), and a
 * `footnote` (e.g. how to verify the certificate), printed on the last page.
 *
 * @since 0.1.0
 * @category models
 */
export type RenderOptions = internal.RenderOptions

/**
 * The page of a certificate document.
 *
 * @since 0.1.0
 * @category constructors
 * @example
 * import { Either } from "effect"
 * import { Certificate, CertificateHtml } from "@gongzhi/volunteers"
 *
 * declare const issued: Certificate.Certificate
 * const html = Either.map(Certificate.toDocument(issued), (document) => CertificateHtml.render(document))
 */
export const render: (document: CertificateDocument, options?: RenderOptions) => string = internal.render

/**
 * The page of an issued, effective or revoked certificate; `InvalidTransition` for one not yet issued.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromCertificate = (
  certificate: Certificate,
  options?: RenderOptions
): Either.Either<string, InvalidTransition> =>
  Either.map(toDocument(certificate), (document) => internal.render(document, options))

/**
 * Escapes text for HTML (`& < > " '`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const escapeHtml: (text: string) => string = internal.escapeHtml

/**
 * A date in Chinese: `2026-03-09` → `2026年3月9日`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const chineseDate: (date: string) => string = internal.chineseDate
