/**
 * The product vocabulary: lines, product codes, causes, document types. Constants only, with no
 * schema library, so a web app can import them without carrying zod (the customer app's JS budget,
 * README "Web apps"); lambdas/core/products.ts re-exports them beside the configuration schemas.
 */
export const PRODUCT_LINES = ['motor', 'property', 'health', 'travel'] as const;
export type ProductLine = (typeof PRODUCT_LINES)[number];

export const PRODUCT_CODES = ['MOTOR_OD', 'MOTOR_TPL', 'PROPERTY_FIRE', 'HEALTH', 'TRAVEL'] as const;
export type ProductCode = (typeof PRODUCT_CODES)[number];

export const CAUSES = [
  'collision',
  'theft',
  'fire',
  'flood',
  'storm',
  'glass_breakage',
  'vandalism',
  'third_party_injury',
  'third_party_property',
  'explosion',
  'lightning',
  'illness',
  'accident',
  'maternity',
  'trip_cancellation',
  'baggage_loss',
  'medical_abroad',
  'flight_delay',
] as const;
export type Cause = (typeof CAUSES)[number];

export const DOCUMENT_TYPES = [
  'claim_letter',
  'vehicle_registration',
  'driving_licence',
  'insurance_certificate',
  'repair_invoice',
  'police_report',
  'damage_photos',
  'ownership_proof',
  'loss_inventory',
  'fire_brigade_report',
  'medical_report',
  'hospital_invoice',
  'discharge_paper',
  'prescription',
  'boarding_pass',
  'passport',
  'carrier_report',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Invoices and receipts: the only documents whose amount a customer may declare at upload. */
export const AMOUNT_DOCUMENT_TYPES = ['repair_invoice', 'hospital_invoice'] as const;
export type AmountDocumentType = (typeof AMOUNT_DOCUMENT_TYPES)[number];

/** What kind of file a document may be: a picture, a PDF, or (e-invoices only) the tax XML. */
export const CONTENT_FAMILIES = ['image', 'pdf', 'xml'] as const;
export type ContentFamily = (typeof CONTENT_FAMILIES)[number];
