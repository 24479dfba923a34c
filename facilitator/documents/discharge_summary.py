"""The discharge summary document: the summary (as signed, or as the records stand), its
signature, and the trends its charts show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from facilitator.documents.common import Provenance, SignatureLine, SignedItem
from facilitator.domain.discharge_summary import DischargeSummary, SummarySignature
from facilitator.domain.trends import Trends

SIGNED_KIND = "discharge_summary"


@dataclass(frozen=True)
class DischargeSummaryDocument:
    provenance: Provenance
    discharge_id: uuid.UUID
    summary: DischargeSummary
    signature: SummarySignature | None  # the author's; None while the summary is a draft
    trends: Trends  # the enrollment's measure totals, craving and hours per week
    # None: the charts are the summary's own data (as signed, or a draft's as the records
    # stand). A day: a summary signed before it kept its charts' data, charts drawn from the
    # records as they stood that day.
    charts_as_of: date | None = None
    cosignature: SummarySignature | None = None  # the supervisor's, once co-signed
    awaiting_cosign: bool = False  # signed by an associate, not yet co-signed

    @property
    def signatures(self) -> tuple[SummarySignature, ...]:
        """The author's, then the co-signer's."""
        return tuple(s for s in (self.signature, self.cosignature) if s is not None)

    @property
    def draft(self) -> bool:
        return self.signature is None

    def signature_lines(self) -> list[SignatureLine]:
        """The author's signature, then the co-signer's; none for a draft."""
        return [
            SignatureLine(
                role=role,
                meaning=s.meaning,
                printed_name=s.printed_name,
                credentials=s.credentials,
                signed_at=s.signed_at,
                time_zone=s.time_zone,
                item_id=self.discharge_id,
                content_hash=s.content_hash,
            )
            for role, s in (("author", self.signature), ("cosigner", self.cosignature))
            if s is not None
        ]

    def signed_items(self) -> list[SignedItem]:
        if self.signature is None:
            return []
        return [SignedItem(SIGNED_KIND, self.discharge_id, self.signature.content_hash)]
