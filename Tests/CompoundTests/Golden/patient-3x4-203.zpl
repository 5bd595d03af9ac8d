^XA
^CI28
^PW812
^LL609
^LH0,0
^FO20,8^A0N,18,18^FB609,2,0,L,0^FH^FDRiverside Compounding Pharmacy · 120 Main Street, Springfield, IL 62701 · (217) 555-0142^FS
^FO20,63^A0N,39,39^FB771,1,0,L,0^FH^FDEleanor O'Brien-Šimková^FS
^FO20,148^A0N,37,37^FB771,1,0,L,0^FH^FDNaltrexone HCl 4.5 mg capsule^FS
^FO20,201^A0N,34,34^FB771,1,0,L,0^FH^FDTake 1 capsule by mouth at bedtime^FS
^FO20,367^A0N,20,20^FB528,1,0,L,0^FH^FDRx 600001   Filled 2026-11-22   Qty 30   Refills 2^FS
^FO20,402^A0N,18,18^FB528,1,0,L,0^FH^FDPrescriber: Dr. Ana Ruiz, MD^FS
^FO20,430^A0N,20,20^FB528,1,0,L,0^FH^FDDiscard after 2027-05-21   Lot LDN45-261122-01^FS
^FO578,367^BY2^BCN,86,Y,N,N,A^FH^FD600001^FS
^FO20,485^A0N,16,16^FB771,2,0,L,0^FH^FDCompounded by Riverside Compounding Pharmacy. Store at 20-25 °C (68-77 °F) in a tight, light-resistant container.^FS
^FO20,526^A0N,14,14^FB771,4,0,L,0^FH^FD· Do not take opioid medicines (tramadol, oxycodone, codeine): they will not work, and overcoming the block can cause a fatal overdose · Carry a card saying you take naltrexone · Ask your doctor if pregnant or breast-feeding · May cause vivid dreams or poor sleep: then take it in the morning · Stop 7 days before planned surgery^FS
^XZ
