import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def job_pdf(job) -> bytes:
    with job.pdf.open("rb") as fh:
        return fh.read()
