"""Machine translation: engines (argos, apertium), segmentation, protected terms, translation memory."""
