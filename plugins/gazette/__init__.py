"""The prefecture's publishing system: gazette issues and the disclosure catalogue, as one content model."""
